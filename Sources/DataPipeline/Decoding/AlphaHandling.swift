/// What the decoder does with transparency (a PNG alpha channel or tRNS chunk), since `ByteImage` has no alpha.
///
/// `composite` blends each pixel onto an opaque background in 8-bit sRGB
/// values, per channel, with rounding:
/// `out = (colour × alpha + background × (255 − alpha) + 127) / 255` (integer
/// division), so alpha 255 keeps the colour and alpha 0 gives the background.
/// The default background is white, because most transparent images (logos,
/// product shots, icons) are drawn for a white page, and dark line art on black
/// would vanish. `discard` drops alpha and keeps the stored colour, which is
/// what PIL's `convert("RGB")` (and therefore torchvision's default loader) does;
/// fully transparent pixels then show whatever colour the encoder left in them.
public enum AlphaHandling: Equatable, Hashable, Sendable {
    /// Blend onto an opaque background.
    case composite(onto: Background)
    /// Drop the alpha channel, PIL-style.
    case discard

    /// An opaque sRGB colour to composite onto.
    public struct Background: Equatable, Hashable, Sendable {
        /// Red, 0...255.
        public var red: UInt8
        /// Green, 0...255.
        public var green: UInt8
        /// Blue, 0...255.
        public var blue: UInt8

        /// A background colour from its three channels.
        public init(red: UInt8, green: UInt8, blue: UInt8) {
            self.red = red
            self.green = green
            self.blue = blue
        }

        /// White, the default.
        public static let white = Background(red: 255, green: 255, blue: 255)
        /// Black.
        public static let black = Background(red: 0, green: 0, blue: 0)
    }
}
