/// How `ImageDecoder` turns encoded bytes into a `ByteImage`: channels, DCT scaling, orientation, alpha, limits.
///
/// The defaults give what torchvision's loader gives with PIL
/// (`Image.open(f).convert("RGB")` after `ImageOps.exif_transpose`), except that
/// transparency is composited on white rather than dropped (see `AlphaHandling`).
/// A value type passed per call, because the DCT scale a random crop allows
/// differs from image to image.
public struct ImageDecodingOptions: Equatable, Hashable, Sendable {
    /// RGB (default) or grey output.
    public var colorMode: ImageColorMode
    /// How far a JPEG may be downscaled in the DCT; full resolution by default.
    public var minimumSize: MinimumDecodedSize
    /// Whether the EXIF orientation tag is applied (default); when false the stored pixels are returned as stored.
    public var appliesExifOrientation: Bool
    /// What happens to transparency; composited on white by default.
    public var alpha: AlphaHandling
    /// The largest image accepted.
    public var limits: ImageSizeLimits

    /// Options from their parts; every argument has the documented default.
    public init(
        colorMode: ImageColorMode = .rgb,
        minimumSize: MinimumDecodedSize = .fullResolution,
        appliesExifOrientation: Bool = true,
        alpha: AlphaHandling = .composite(onto: .white),
        limits: ImageSizeLimits = ImageSizeLimits()
    ) {
        self.colorMode = colorMode
        self.minimumSize = minimumSize
        self.appliesExifOrientation = appliesExifOrientation
        self.alpha = alpha
        self.limits = limits
    }
}
