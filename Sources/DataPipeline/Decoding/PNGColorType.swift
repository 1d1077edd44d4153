/// The colour type field of a PNG's IHDR chunk, which fixes the channels stored per pixel.
///
/// Raw values are the field's values; each admits only certain bit depths
/// (`allowedBitDepths`), as the PNG specification's table lists them.
public enum PNGColorType: Int, Equatable, Hashable, Sendable, CaseIterable {
    /// 0: one grey sample per pixel.
    case grey = 0
    /// 2: red, green, blue.
    case rgb = 2
    /// 3: an index into the PLTE chunk's palette.
    case palette = 3
    /// 4: grey and alpha.
    case greyAlpha = 4
    /// 6: red, green, blue and alpha.
    case rgba = 6

    /// The bit depths the PNG specification allows with this colour type.
    public var allowedBitDepths: [Int] {
        switch self {
        case .grey: return [1, 2, 4, 8, 16]
        case .palette: return [1, 2, 4, 8]
        case .rgb, .greyAlpha, .rgba: return [8, 16]
        }
    }

    /// Whether the pixels carry an alpha channel of their own (a tRNS chunk can add transparency to the others).
    public var hasAlphaChannel: Bool {
        self == .greyAlpha || self == .rgba
    }
}
