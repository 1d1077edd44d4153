/// The channels a decoded image is delivered in, whatever the file stores.
///
/// `rgb` is the training default, like PIL's `convert("RGB")`: grey files are
/// replicated into three channels, palettes expanded, CMYK converted. `grey`
/// is PIL's `convert("L")` of that RGB result, the ITU-R 601-2 luma
/// `(19595 R + 38470 G + 7471 B + 32768) >> 16`; for grey files it is the stored
/// value itself, decoded without the detour through RGB.
public enum ImageColorMode: String, Equatable, Hashable, Sendable, CaseIterable {
    /// Three channels, red, green, blue.
    case rgb
    /// One channel, luma.
    case grey

    /// Channels per pixel in the decoded `ByteImage`.
    public var channels: Int {
        self == .rgb ? 3 : 1
    }
}
