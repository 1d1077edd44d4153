/// What an encoded image's headers say, probed without decoding pixels: the cheap call a scanner makes on every file.
///
/// The format is sniffed from the bytes; `width` and `height` are as stored
/// (before EXIF orientation), `displayedWidth` and `displayedHeight` after it.
/// Probing costs a walk over the markers or chunks before the image data: no
/// allocation proportional to the image, no entropy decoding, no inflating.
public enum ImageHeader: Equatable, Sendable {
    /// A JPEG's frame header, colour space and Exif orientation.
    case jpeg(JPEGHeader)
    /// A PNG's IHDR and the ancillary chunks before its image data.
    case png(PNGHeader)

    /// Sniffs the format and parses the matching header.
    ///
    /// - Parameters:
    ///   - bytes: the whole file.
    ///   - path: where the bytes came from, used only in error messages.
    /// - Throws: `ImageDecodingError` with category `emptyFile` for no bytes,
    ///   `unsupportedFormat` for anything but JPEG and PNG (the error's `format`
    ///   says what was recognised), and the parsers' `truncated` and `corrupt`.
    public static func probe(_ bytes: [UInt8], path: String) throws(ImageDecodingError) -> ImageHeader {
        let format = ImageFormat(sniffing: bytes)
        switch format {
        case .jpeg:
            return .jpeg(try JPEGHeader(parsing: bytes, path: path))
        case .png:
            return .png(try PNGHeader(parsing: bytes, path: path))
        case .gif, .webp, .bmp, .tiff, .unknown:
            guard !bytes.isEmpty else {
                throw ImageDecodingError(path: path, format: .unknown, category: .emptyFile, reason: "the file holds no bytes")
            }
            throw ImageDecodingError(
                path: path, format: format, category: .unsupportedFormat,
                reason: "expected a JPEG or PNG, found \(format) (leading bytes \(hexBytes(bytes.prefix(8))))"
            )
        }
    }

    /// The sniffed format: `jpeg` or `png`.
    public var format: ImageFormat {
        switch self {
        case .jpeg: return .jpeg
        case .png: return .png
        }
    }

    /// Columns as stored in the file.
    public var width: Int {
        switch self {
        case let .jpeg(header): return header.width
        case let .png(header): return header.width
        }
    }

    /// Rows as stored in the file.
    public var height: Int {
        switch self {
        case let .jpeg(header): return header.height
        case let .png(header): return header.height
        }
    }

    /// The Exif orientation tag, nil when the file has none (or one outside 1...8).
    public var orientation: ExifOrientation? {
        switch self {
        case let .jpeg(header): return header.orientation
        case let .png(header): return header.orientation
        }
    }

    /// Columns once the orientation is applied: `height` for orientations 5–8.
    public var displayedWidth: Int {
        orientation?.swapsWidthAndHeight == true ? height : width
    }

    /// Rows once the orientation is applied: `width` for orientations 5–8.
    public var displayedHeight: Int {
        orientation?.swapsWidthAndHeight == true ? width : height
    }
}
