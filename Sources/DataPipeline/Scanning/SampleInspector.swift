import Foundation

/// Checks one sample at a time: reads its bytes, sniffs the format, probes the headers and decodes every pixel.
///
/// The full decode is what catches truncated and corrupt files, whose headers
/// look fine; the pixels are dropped at once, so only the record survives.
/// Orientation is not applied (it cannot fail, and the record reports the tag),
/// and the decode runs at full resolution, so every coefficient is read.
/// A class because it owns an `ImageDecoder`, which is not `Sendable`: each scanning thread makes its own.
final class SampleInspector {
    /// The decoder, reused from sample to sample.
    private let decoder = ImageDecoder()
    /// Images with a stored side below this many pixels are flagged `tiny`.
    let tinySideBelow: Int
    /// Full resolution, stored orientation, the decoder's default limits.
    private let options = ImageDecodingOptions(appliesExifOrientation: false)

    /// An inspector flagging sides below `tinySideBelow` pixels.
    init(tinySideBelow: Int) {
        self.tinySideBelow = tinySideBelow
    }

    /// Checks sample `sampleIndex` of `index`; never throws: every failure becomes an error record.
    ///
    /// - Precondition: the index stores files or tar members, not in-memory images.
    func inspect(sampleAt sampleIndex: Int, of index: SampleIndex) -> ImageScanRecord {
        let path = index.locationDescription(at: sampleIndex)
        let memberKey: String?
        if case let .tarMembers(table) = index.storage {
            memberKey = table.keys[sampleIndex]
        } else {
            memberKey = nil
        }
        let bytes: [UInt8]
        do {
            bytes = try index.encodedBytes(at: sampleIndex)
        } catch {
            return ImageScanRecord(
                sampleIndex: sampleIndex, path: path, memberKey: memberKey,
                status: .error(category: .unreadableFile, reason: Self.reason(error)), format: nil, width: nil, height: nil,
                orientation: nil, flags: []
            )
        }
        let format = ImageFormat(sniffing: bytes)
        var flags: Set<ImageScanFlag> = []
        if case let .file(url) = index.location(at: sampleIndex), format.contradicts(fileName: url.lastPathComponent) {
            flags.insert(.wrongExtension)
        }
        let header: ImageHeader
        do {
            header = try ImageHeader.probe(bytes, path: path)
        } catch {
            return ImageScanRecord(
                sampleIndex: sampleIndex, path: path, memberKey: memberKey,
                status: .error(category: error.category, reason: error.reason), format: format, width: nil, height: nil,
                orientation: nil, flags: flags
            )
        }
        flags.formUnion(self.flags(of: header))
        let status: ImageScanRecord.Status
        do {
            _ = try decoder.decode(bytes, path: path, options: options)
            status = .ok
        } catch {
            status = .error(category: error.category, reason: error.reason)
        }
        return ImageScanRecord(
            sampleIndex: sampleIndex, path: path, memberKey: memberKey, status: status, format: format, width: header.width,
            height: header.height, orientation: header.orientation, flags: flags
        )
    }

    /// The flags the headers alone decide: colour space, orientation, size, transparency and bit depth.
    func flags(of header: ImageHeader) -> Set<ImageScanFlag> {
        var flags: Set<ImageScanFlag> = []
        if min(header.width, header.height) < tinySideBelow {
            flags.insert(.tiny)
        }
        if let orientation = header.orientation, orientation != .identity {
            flags.insert(.rotated)
        }
        switch header {
        case let .jpeg(jpeg):
            switch jpeg.colorSpace {
            case .cmyk, .ycck: flags.insert(.cmyk)
            case .grey: flags.insert(.grey)
            case .yCbCr, .rgb: break
            }
        case let .png(png):
            if png.colorType == .grey || png.colorType == .greyAlpha {
                flags.insert(.grey)
            }
            if png.colorType.hasAlphaChannel || png.hasTransparencyChunk {
                flags.insert(.alpha)
            }
            if png.bitDepth == 16 {
                flags.insert(.sixteenBit)
            }
        }
        return flags
    }

    /// The reader's message without the path the record already carries, where the error keeps them apart.
    private static func reason(_ error: SampleReadError) -> String {
        switch error {
        case let .unreadable(_, reason): return reason
        case .shortMember: return error.description
        }
    }
}
