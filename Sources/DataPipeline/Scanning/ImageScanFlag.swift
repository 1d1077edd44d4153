/// Something notable about an image that decodes: not an error, but worth a look before training on it.
///
/// Raw values are the keys `hone scan --json` writes for each file. Flags come
/// from the headers and the file name, so a file that fails to decode can carry
/// them too (a truncated CMYK JPEG is both).
public enum ImageScanFlag: String, Equatable, Hashable, Sendable, CaseIterable {
    /// A JPEG stored as CMYK or YCCK: decoded through a colour conversion, and often a sign of print-oriented sources.
    case cmyk
    /// The bytes' format disagrees with the file name's extension (a PNG named `.jpg`); not checked for tar members.
    case wrongExtension
    /// The stored width or height is below the scanner's threshold.
    case tiny
    /// An EXIF orientation other than 1: the stored pixels are turned or mirrored on decoding.
    case rotated
    /// The file stores grey levels only (a grey JPEG, a grey or grey-and-alpha PNG).
    case grey
    /// A PNG with an alpha channel or a tRNS transparency chunk: composited onto a background on decoding.
    case alpha
    /// A PNG with 16 bits per sample: rounded to 8 on decoding.
    case sixteenBit

    /// What the flag means, for a human-readable report.
    public var meaning: String {
        switch self {
        case .cmyk: return "CMYK or YCCK JPEG"
        case .wrongExtension: return "format differs from the file name's extension"
        case .tiny: return "a side below the tiny threshold"
        case .rotated: return "EXIF orientation other than 1"
        case .grey: return "grey-level image"
        case .alpha: return "PNG with transparency"
        case .sixteenBit: return "16-bit PNG"
        }
    }
}
