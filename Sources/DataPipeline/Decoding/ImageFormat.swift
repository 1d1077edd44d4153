/// The container format of an encoded image, as its leading bytes identify it.
///
/// Sniffed from the bytes, never from the file name: ImageNet's training set
/// holds a PNG named `.JPEG`, and scraped data sets hold GIFs and WebPs under
/// any extension. Hone decodes `jpeg` and `png`; `gif`, `webp`, `bmp` and `tiff`
/// are recognised so that a rejected file can be reported for what it is, and
/// everything else is `unknown`.
public enum ImageFormat: String, Equatable, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    /// JPEG/JFIF/Exif: starts `FF D8 FF`.
    case jpeg
    /// PNG: starts with the eight-byte signature `89 50 4E 47 0D 0A 1A 0A`.
    case png
    /// GIF87a or GIF89a.
    case gif
    /// WebP: a RIFF container whose form type is `WEBP`.
    case webp
    /// Windows bitmap: starts `BM`.
    case bmp
    /// TIFF in either byte order: `II*\0` or `MM\0*`.
    case tiff
    /// None of the above (including an empty file).
    case unknown

    /// The eight bytes every PNG file starts with.
    static let pngSignature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    /// Identifies the format from the first bytes of a file; needs at most 12 bytes.
    public init(sniffing bytes: [UInt8]) {
        func starts(with prefix: [UInt8], at offset: Int = 0) -> Bool {
            bytes.count >= offset + prefix.count && bytes[offset..<(offset + prefix.count)].elementsEqual(prefix)
        }
        if starts(with: [0xFF, 0xD8, 0xFF]) {
            self = .jpeg
        } else if starts(with: Self.pngSignature) {
            self = .png
        } else if starts(with: Array("GIF87a".utf8)) || starts(with: Array("GIF89a".utf8)) {
            self = .gif
        } else if starts(with: Array("RIFF".utf8)) && starts(with: Array("WEBP".utf8), at: 8) {
            self = .webp
        } else if starts(with: Array("BM".utf8)) {
            self = .bmp
        } else if starts(with: [0x49, 0x49, 0x2A, 0x00]) || starts(with: [0x4D, 0x4D, 0x00, 0x2A]) {
            self = .tiff
        } else {
            self = .unknown
        }
    }

    /// Whether `ImageDecoder` can decode this format.
    public var isDecodable: Bool {
        self == .jpeg || self == .png
    }

    /// The format's usual upper-case name, such as `JPEG`, for messages.
    public var description: String {
        switch self {
        case .jpeg: return "JPEG"
        case .png: return "PNG"
        case .gif: return "GIF"
        case .webp: return "WebP"
        case .bmp: return "BMP"
        case .tiff: return "TIFF"
        case .unknown: return "unknown format"
        }
    }
}
