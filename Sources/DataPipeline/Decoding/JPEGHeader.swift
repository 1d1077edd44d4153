/// What a JPEG's headers say, read without decoding any pixels.
///
/// `width` and `height` are as stored in the frame header, before any EXIF
/// orientation is applied; `orientation` is nil when the file has no Exif
/// orientation tag (or one outside 1...8), which means upright.
public struct JPEGHeader: Equatable, Sendable {
    /// Columns as stored.
    public let width: Int
    /// Rows as stored.
    public let height: Int
    /// Bits per sample in the frame header; TurboJPEG 2.x decodes only 8.
    public let precision: Int
    /// The colour space of the stored components.
    public let colorSpace: JPEGColorSpace
    /// Whether the frame is progressive (SOF2, SOF6, SOF10, SOF14).
    public let isProgressive: Bool
    /// The orientation tag of the first Exif APP1 segment, if any.
    public let orientation: ExifOrientation?

    /// Records header fields already parsed.
    public init(
        width: Int, height: Int, precision: Int, colorSpace: JPEGColorSpace, isProgressive: Bool,
        orientation: ExifOrientation?
    ) {
        self.width = width
        self.height = height
        self.precision = precision
        self.colorSpace = colorSpace
        self.isProgressive = isProgressive
        self.orientation = orientation
    }
}
