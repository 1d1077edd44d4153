/// An 8-bit image in memory, rows of interleaved channels, as decoders produce it and pixel transforms consume it.
///
/// Shapes: `pixels` holds `height × width × channels` bytes, row-major with the
/// channels of a pixel adjacent (HWC, PIL's and torchvision's `uint8` layout
/// before `ToTensor`); `channels` is 1 for grey and 3 for RGB. One flat array
/// rather than rows or planes, so a crop or a resize is index arithmetic and the
/// loader can hand the bytes to the batch assembler without another copy.
public struct ByteImage: Equatable, Sendable {
    /// Columns.
    public let width: Int
    /// Rows.
    public let height: Int
    /// Channels per pixel: 1 (grey) or 3 (RGB).
    public let channels: Int
    /// All pixels, `height × width × channels`, row-major, channels innermost.
    public var pixels: [UInt8]

    /// Wraps pixels already laid out.
    ///
    /// - Precondition: `width` and `height` are not negative, `channels` is 1 or 3,
    ///   and `pixels` holds exactly `height × width × channels` bytes.
    public init(width: Int, height: Int, channels: Int, pixels: [UInt8]) {
        precondition(width >= 0 && height >= 0, "image sides must not be negative, got \(width)×\(height)")
        precondition(channels == 1 || channels == 3, "an image has 1 or 3 channels, got \(channels)")
        precondition(
            pixels.count == width * height * channels,
            "a \(width)×\(height)×\(channels) image needs \(width * height * channels) bytes, got \(pixels.count)"
        )
        self.width = width
        self.height = height
        self.channels = channels
        self.pixels = pixels
    }

    /// An image of one colour: every pixel holds `value` in every channel.
    public init(width: Int, height: Int, channels: Int, filledWith value: UInt8) {
        self.init(width: width, height: height, channels: channels, pixels: [UInt8](repeating: value, count: width * height * channels))
    }

    /// The byte of channel `channel` at (`row`, `column`).
    public subscript(row: Int, column: Int, channel: Int) -> UInt8 {
        get { pixels[(row * width + column) * channels + channel] }
        set { pixels[(row * width + column) * channels + channel] = newValue }
    }
}
