/// What scanning found about one sample: where it is, whether it decodes, what its headers say, and its flags.
///
/// Shapes: `width` and `height` are as stored in the file (before EXIF
/// orientation) and nil when the headers could not be read; `format` is what the
/// leading bytes say whatever the file is called, nil only when the bytes could
/// not be read at all. A record holds no pixels, so a scan of a million images
/// keeps a million small records at most, never the images.
public struct ImageScanRecord: Equatable, Sendable {
    /// Whether the sample decodes, and if not, why.
    public enum Status: Equatable, Sendable {
        /// The bytes were read and fully decoded.
        case ok
        /// Reading, probing or decoding failed; unreadable files are category `unreadableFile`.
        case error(category: ImageDecodingError.Category, reason: String)
    }

    /// The sample's position in the index.
    public let sampleIndex: Int
    /// Where the sample is, as `SampleIndex.locationDescription(at:)` words it.
    public let path: String
    /// The WebDataset key of a tar member (`train/0001`), nil for a file: the path alone names a member only by its offset.
    public let memberKey: String?
    /// Whether it decodes.
    public let status: Status
    /// The format sniffed from the bytes; nil when they could not be read.
    public let format: ImageFormat?
    /// Columns as stored; nil when the headers could not be parsed.
    public let width: Int?
    /// Rows as stored; nil when the headers could not be parsed.
    public let height: Int?
    /// The EXIF orientation tag, nil when the file has none (or its headers could not be parsed).
    public let orientation: ExifOrientation?
    /// Notable properties; see `ImageScanFlag`.
    public let flags: Set<ImageScanFlag>

    /// Records one sample's findings.
    public init(
        sampleIndex: Int, path: String, memberKey: String? = nil, status: Status, format: ImageFormat?, width: Int?,
        height: Int?, orientation: ExifOrientation?, flags: Set<ImageScanFlag>
    ) {
        self.sampleIndex = sampleIndex
        self.path = path
        self.memberKey = memberKey
        self.status = status
        self.format = format
        self.width = width
        self.height = height
        self.orientation = orientation
        self.flags = flags
    }

    /// Whether the sample decoded.
    public var isOK: Bool {
        status == .ok
    }

    /// The failure's category, nil when the sample decoded.
    public var errorCategory: ImageDecodingError.Category? {
        guard case let .error(category, _) = status else { return nil }
        return category
    }

    /// The reader's or decoder's message, nil when the sample decoded.
    public var reason: String? {
        guard case let .error(_, reason) = status else { return nil }
        return reason
    }
}
