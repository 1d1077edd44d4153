extension JPEGHeader {
    /// Parses a JPEG's markers up to its first start-of-scan, without decoding any pixels.
    ///
    /// Layout: `FF D8` (SOI), then segments `FF xx` with a big-endian length
    /// that counts itself, until `FF DA` (SOS) where entropy-coded data begins.
    /// Read on the way: the first frame header (SOF0–SOF15, except DHT `C4`, JPG
    /// `C8` and DAC `CC`), the first Exif APP1, JFIF APP0 and Adobe APP14 (which
    /// decide the colour space as libjpeg does). Like libjpeg, fill bytes `FF`
    /// and stray non-marker bytes between segments are skipped; the decoder
    /// itself reports the latter, as a warning this parser does not repeat. The
    /// reserved marker codes `02`–`BF`, which libjpeg rejects too, mark the bytes
    /// as corrupt. Each step advances through the bytes, so the walk ends on any
    /// input.
    ///
    /// - Parameters:
    ///   - bytes: the whole file (only the part before the first scan is read).
    ///   - path: where the bytes came from, used only in error messages.
    /// - Throws: `ImageDecodingError` with category `truncated` when the bytes
    ///   end before the start of scan, `corrupt` for a missing SOI, an image
    ///   end before any scan, a reserved marker, a malformed frame header or zero
    ///   dimensions, and
    ///   `unsupportedFormat` for a component count other than 1, 3 or 4.
    public init(parsing bytes: [UInt8], path: String) throws(ImageDecodingError) {
        func failure(_ category: ImageDecodingError.Category, _ reason: String) -> ImageDecodingError {
            ImageDecodingError(path: path, format: .jpeg, category: category, reason: reason)
        }
        guard bytes.count >= 2, bytes[0] == 0xFF, bytes[1] == 0xD8 else {
            throw failure(.corrupt, "expected the start-of-image marker ff d8, found \(hexBytes(bytes.prefix(2)))")
        }
        var position = 2
        var frame: FrameHeader?
        var orientation: ExifOrientation?
        var sawExif = false
        var sawJFIF = false
        var adobeTransform: Int?

        while true {
            guard position < bytes.count else {
                throw failure(.truncated, "the data ends after \(bytes.count) bytes, before the start-of-scan marker")
            }
            guard bytes[position] == 0xFF else {
                position += 1
                continue
            }
            while position < bytes.count && bytes[position] == 0xFF {
                position += 1
            }
            guard position < bytes.count else {
                throw failure(.truncated, "the data ends after \(bytes.count) bytes, inside marker padding")
            }
            let marker = bytes[position]
            position += 1
            switch marker {
            case 0x00, 0x01, 0xD0...0xD7:
                continue
            case 0xD8:
                throw failure(.corrupt, "a second start-of-image marker at byte \(position - 2)")
            case 0xD9:
                throw failure(.corrupt, "the end-of-image marker at byte \(position - 2) comes before any scan")
            case 0x02...0xBF:
                throw failure(
                    .corrupt,
                    "byte \(position - 2) holds the reserved marker ff \(hexBytes([marker])), expected a segment marker"
                )
            default:
                break
            }
            guard position + 2 <= bytes.count else {
                throw failure(.truncated, "the data ends inside the length of marker ff \(hexBytes([marker]))")
            }
            let length = Int(bytes[position]) << 8 | Int(bytes[position + 1])
            guard length >= 2 else {
                throw failure(
                    .corrupt,
                    "marker ff \(hexBytes([marker])) at byte \(position - 2) has length \(length), expected at least 2"
                )
            }
            let segmentEnd = position + length
            guard segmentEnd <= bytes.count else {
                throw failure(
                    .truncated,
                    "marker ff \(hexBytes([marker])) at byte \(position - 2) needs \(length) bytes, "
                        + "the file ends after \(bytes.count - position)"
                )
            }
            let payload = bytes[(position + 2)..<segmentEnd]
            switch marker {
            case 0xC0...0xCF where marker != 0xC4 && marker != 0xC8 && marker != 0xCC:
                if frame == nil {
                    frame = try FrameHeader(payload: payload, marker: marker, failure: failure)
                }
            case 0xE0:
                sawJFIF = sawJFIF || payload.starts(with: [0x4A, 0x46, 0x49, 0x46, 0x00])
            case 0xE1 where !sawExif && payload.starts(with: ExifOrientation.exifIdentifier.prefix(5)):
                sawExif = true
                orientation = ExifOrientation(exifSegment: payload)
            case 0xEE where payload.count >= 12 && payload.starts(with: [0x41, 0x64, 0x6F, 0x62, 0x65]):
                adobeTransform = adobeTransform ?? Int(payload[payload.startIndex + 11])
            case 0xDA:
                guard let frame else {
                    throw failure(.corrupt, "a start-of-scan marker at byte \(position - 2) before any frame header")
                }
                let colorSpace = try frame.colorSpace(sawJFIF: sawJFIF, adobeTransform: adobeTransform, failure: failure)
                self.init(
                    width: frame.width, height: frame.height, precision: frame.precision, colorSpace: colorSpace,
                    isProgressive: frame.isProgressive, orientation: orientation
                )
                return
            default:
                break
            }
            position = segmentEnd
        }
    }
}

/// The fields of a JPEG frame header (SOFn) that the probe reports.
///
/// Layout of the payload: precision (1 byte), height (2), width (2),
/// component count (1), then per component its id, sampling factors and
/// quantisation table (3 bytes each).
private struct FrameHeader {
    let width: Int
    let height: Int
    let precision: Int
    let componentIDs: [UInt8]
    let isProgressive: Bool

    init(
        payload: ArraySlice<UInt8>, marker: UInt8,
        failure: (ImageDecodingError.Category, String) -> ImageDecodingError
    ) throws(ImageDecodingError) {
        let start = payload.startIndex
        guard payload.count >= 6 else {
            throw failure(.corrupt, "the frame header has \(payload.count) bytes, expected at least 6")
        }
        precision = Int(payload[start])
        height = Int(payload[start + 1]) << 8 | Int(payload[start + 2])
        width = Int(payload[start + 3]) << 8 | Int(payload[start + 4])
        let componentCount = Int(payload[start + 5])
        guard payload.count >= 6 + 3 * componentCount else {
            throw failure(
                .corrupt,
                "the frame header lists \(componentCount) components in \(payload.count) bytes, "
                    + "expected \(6 + 3 * componentCount)"
            )
        }
        guard width > 0, height > 0 else {
            throw failure(.corrupt, "the frame header gives the size \(width)×\(height), expected both sides above 0")
        }
        componentIDs = (0..<componentCount).map { payload[start + 6 + 3 * $0] }
        isProgressive = [0xC2, 0xC6, 0xCA, 0xCE].contains(marker)
    }

    /// The colour space libjpeg assumes for these components (its `default_decompress_parms`).
    func colorSpace(
        sawJFIF: Bool, adobeTransform: Int?,
        failure: (ImageDecodingError.Category, String) -> ImageDecodingError
    ) throws(ImageDecodingError) -> JPEGColorSpace {
        switch componentIDs.count {
        case 1:
            return .grey
        case 3:
            if sawJFIF { return .yCbCr }
            if let adobeTransform { return adobeTransform == 0 ? .rgb : .yCbCr }
            return componentIDs == [0x52, 0x47, 0x42] ? .rgb : .yCbCr
        case 4:
            guard let adobeTransform else { return .cmyk }
            return adobeTransform == 0 ? .cmyk : .ycck
        default:
            throw failure(.unsupportedFormat, "the frame has \(componentIDs.count) components, expected 1, 3 or 4")
        }
    }
}
