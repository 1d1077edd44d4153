/// What a PNG's chunks before the image data say, read without inflating any pixels.
///
/// `width` and `height` are as stored in IHDR, before any orientation from an
/// `eXIf` chunk is applied.
public struct PNGHeader: Equatable, Sendable {
    /// Columns as stored.
    public let width: Int
    /// Rows as stored.
    public let height: Int
    /// Bits per sample (per palette index for `palette`): 1, 2, 4, 8 or 16.
    public let bitDepth: Int
    /// Which channels each pixel stores.
    public let colorType: PNGColorType
    /// Whether the rows are Adam7-interlaced.
    public let isInterlaced: Bool
    /// Whether a tRNS chunk gives transparency to a palette or to one grey or RGB value.
    public let hasTransparencyChunk: Bool
    /// The gAMA chunk's value (file gamma × 100000), if the file has one before its image data.
    public let gamma: Int?
    /// The orientation tag of an `eXIf` chunk before the image data, if any.
    public let orientation: ExifOrientation?

    /// Records header fields already parsed.
    public init(
        width: Int, height: Int, bitDepth: Int, colorType: PNGColorType, isInterlaced: Bool,
        hasTransparencyChunk: Bool, gamma: Int?, orientation: ExifOrientation?
    ) {
        self.width = width
        self.height = height
        self.bitDepth = bitDepth
        self.colorType = colorType
        self.isInterlaced = isInterlaced
        self.hasTransparencyChunk = hasTransparencyChunk
        self.gamma = gamma
        self.orientation = orientation
    }
}
