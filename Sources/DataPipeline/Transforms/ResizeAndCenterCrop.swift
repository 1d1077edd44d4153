import Foundation

/// timm's evaluation transform: resize the shorter side to `⌊size / cropFraction⌋`, then cut the centre `size × size`.
///
/// Shapes: any `width × height` image in, `size × size` out, channels kept. This is
/// `transforms_imagenet_eval` with its default centre crop mode: a square target
/// uses torchvision's `Resize(scale_size)` (shorter side, aspect kept) followed by
/// `CenterCrop(size)`; `cropFraction` is timm's `crop_pct` (0.875 gives the
/// classic 256 → 224).
public struct ResizeAndCenterCrop: Sendable, Equatable {
    /// Side of the square output.
    public var size: Int
    /// Fraction of the resized shorter side the crop keeps (timm's `crop_pct`).
    public var cropFraction: Double
    /// Filter of the resize.
    public var interpolation: Interpolation

    /// The evaluation transform for `size`, with timm's default crop fraction and bilinear filter unless given.
    ///
    /// - Precondition: `size` is positive and `cropFraction` is in `(0, 1]`.
    public init(size: Int, cropFraction: Double = 0.875, interpolation: Interpolation = .bilinear) {
        precondition(size > 0, "the evaluation crop needs a positive size, got \(size)")
        precondition(cropFraction > 0 && cropFraction <= 1, "the crop fraction must be in (0, 1], got \(cropFraction)")
        self.size = size
        self.cropFraction = cropFraction
        self.interpolation = interpolation
    }

    /// The shorter side after the resize: `math.floor(size / crop_pct)` as timm computes it.
    public var resizedShorterSide: Int {
        Int((Double(size) / cropFraction).rounded(.down))
    }

    /// The transformed image.
    public func apply(to image: ByteImage) -> ByteImage {
        image.resized(shorterSide: resizedShorterSide, interpolation: interpolation)
            .centerCropped(height: size, width: size)
    }
}
