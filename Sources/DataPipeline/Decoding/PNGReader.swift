import CPNG
import CZlib

/// Decodes PNG bytes through libpng's simplified API, choosing formats so that libpng never converts gamma.
///
/// Only `png_image_begin_read_from_memory`, `png_image_finish_read` and
/// `png_image_free` are called: the simplified API catches libpng's internal
/// `longjmp` inside its own C frames and reports failures through
/// `png_image.message`, so no `longjmp` ever crosses Swift frames.
///
/// The simplified API treats 8-bit samples as sRGB and 16-bit samples without
/// gAMA as linear, and converts whenever the requested format differs in
/// linearity, or drops alpha or colour (it composites and converts to grey in
/// linear light). To deliver the file's values untouched, as PIL does:
/// * the requested format keeps the file's alpha (RGBA for any alpha channel or
///   tRNS chunk) and colour (RGB, or grey only for an opaque grey file read as
///   grey); compositing, dropping alpha and luma happen afterwards in Swift;
/// * `PNG_IMAGE_FLAG_16BIT_sRGB` marks 16-bit samples as sRGB, so reading them as
///   8-bit is a plain rescale, `(v × 255 + 32895) >> 16` = round(v / 257) (PIL
///   itself keeps the high byte, `v >> 8`: at most 1 apart);
/// * a gAMA chunk other than the sRGB-equivalent 45455 is rewritten to 45455 in a
///   copy of the bytes (its CRC recomputed), because PIL ignores gAMA while
///   libpng would re-encode the samples to sRGB. iCCP profiles are ignored by both.
enum PNGReader {
    /// The gAMA value (gamma × 100000) libpng treats as sRGB, so no conversion happens.
    static let sRGBGamma = 45455

    /// Decodes a PNG whose header has been probed and checked against the size limits.
    ///
    /// Shapes: returns `header.height × header.width × options.colorMode.channels`
    /// pixels as stored (orientation is the caller's business).
    static func decode(
        _ bytes: [UInt8], header: PNGHeader, options: ImageDecodingOptions, path: String
    ) throws(ImageDecodingError) -> ByteImage {
        let input = header.gamma.map { $0 != sRGBGamma } == true ? withSRGBGamma(bytes) : bytes
        let wantsGrey = options.colorMode == .grey
        let outcome: Result<(pixels: [UInt8], channels: Int), ImageDecodingError> = input.withUnsafeBytes { raw in
            var image = png_image()
            image.opaque = nil
            image.version = UInt32(PNG_IMAGE_VERSION)
            defer { png_image_free(&image) }
            guard png_image_begin_read_from_memory(&image, raw.baseAddress, raw.count) != 0 else {
                return .failure(failure(message: message(of: image), path: path))
            }
            guard Int(image.width) == header.width, Int(image.height) == header.height else {
                return .failure(ImageDecodingError(
                    path: path, format: .png, category: .corrupt,
                    reason: "libpng reads the size \(image.width)×\(image.height), IHDR says \(header.width)×\(header.height)"
                ))
            }
            let alphaFlag = UInt32(PNG_FORMAT_FLAG_ALPHA)
            let colorFlag = UInt32(PNG_FORMAT_FLAG_COLOR)
            let hasAlpha = image.format & alphaFlag != 0
            let hasColor = image.format & colorFlag != 0
            let (format, channels): (UInt32, Int)
            if hasAlpha {
                (format, channels) = (colorFlag | alphaFlag, 4)
            } else if wantsGrey && !hasColor {
                (format, channels) = (0, 1)
            } else {
                (format, channels) = (colorFlag, 3)
            }
            image.format = format
            image.flags |= UInt32(PNG_IMAGE_FLAG_16BIT_sRGB)
            let byteCount = header.width * header.height * channels
            var status: Int32 = 0
            let pixels = [UInt8](unsafeUninitializedCapacity: byteCount) { destination, initialized in
                status = png_image_finish_read(&image, nil, destination.baseAddress, 0, nil)
                initialized = status != 0 ? byteCount : 0
            }
            guard status != 0 else {
                return .failure(failure(message: message(of: image), path: path))
            }
            return .success((pixels, channels))
        }
        let (pixels, channels) = try outcome.get()
        let pixelCount = header.width * header.height
        var colour: [UInt8]
        switch channels {
        case 1:
            return ByteImage(width: header.width, height: header.height, channels: 1, pixels: pixels)
        case 4:
            switch options.alpha {
            case let .composite(background):
                colour = PixelConversion.compositeRGBA(pixels, pixelCount: pixelCount, onto: background)
            case .discard:
                colour = PixelConversion.discardingAlpha(pixels, pixelCount: pixelCount)
            }
        default:
            colour = pixels
        }
        if wantsGrey {
            colour = PixelConversion.luma(colour, pixelCount: pixelCount)
        }
        return ByteImage(width: header.width, height: header.height, channels: options.colorMode.channels, pixels: colour)
    }

    /// libpng's message, a NUL-terminated string of at most 64 bytes inside the `png_image`.
    private static func message(of image: png_image) -> String {
        withUnsafeBytes(of: image.message) { raw in
            let text = raw.prefix { $0 != 0 }
            return text.isEmpty ? "no message" : String(decoding: text, as: UTF8.self)
        }
    }

    /// Categorises libpng's message: running out of bytes is `truncated`, anything else `corrupt`.
    ///
    /// The memory reader says "read beyond end of data"; the row reader says
    /// "Not enough image data" when the IDAT stream ends early.
    private static func failure(message: String, path: String) -> ImageDecodingError {
        let isTruncation = message.contains("beyond end of data") || message.contains("Not enough image data")
        return ImageDecodingError(
            path: path, format: .png, category: isTruncation ? .truncated : .corrupt, reason: "libpng: \(message)"
        )
    }

    /// A copy of the file whose gAMA chunks before the image data say 45455 (sRGB), with their CRCs recomputed.
    private static func withSRGBGamma(_ bytes: [UInt8]) -> [UInt8] {
        var copy = bytes
        var chunks = PNGChunkWalker(bytes: bytes)
        let ignore: (ImageDecodingError.Category, String) -> ImageDecodingError = { category, reason in
            ImageDecodingError(path: "", format: .png, category: category, reason: reason)
        }
        while let chunk = try? chunks.next(failure: ignore), chunk.type != "IDAT" {
            guard chunk.type == "gAMA", chunk.data.count == 4 else { continue }
            let value = sRGBGamma
            let dataStart = chunk.offset + 8
            for index in 0..<4 {
                copy[dataStart + index] = UInt8(truncatingIfNeeded: value >> (24 - 8 * index))
            }
            let checksum = copy[(chunk.offset + 4)..<(dataStart + 4)].withUnsafeBufferPointer { typeAndData in
                crc32(0, typeAndData.baseAddress, UInt32(typeAndData.count))
            }
            for index in 0..<4 {
                copy[dataStart + 4 + index] = UInt8(truncatingIfNeeded: checksum >> (24 - 8 * UInt(index)))
            }
        }
        return copy
    }
}
