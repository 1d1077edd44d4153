/// The test image size and centre-crop fraction of one evaluation: timm's `img_size` and `crop_pct`.
///
/// Shapes: images come out `size × size`, from a shorter side resized to
/// `⌊size / cropFraction⌋`.
public struct EvaluationResolution: Sendable, Hashable, Codable {
    /// Side of the square test image in pixels.
    public var size: Int
    /// Fraction of the resized shorter side the centre crop keeps, in (0, 1].
    public var cropFraction: Double

    public init(size: Int, cropFraction: Double) {
        self.size = size
        self.cropFraction = cropFraction
    }
}
