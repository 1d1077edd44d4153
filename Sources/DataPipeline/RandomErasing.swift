/// Random erasing (Zhong et al., AAAI 2020; timm's `--reprob`/`--remode`): blank one random rectangle of an image.
///
/// Shapes: acts on one standardised `channels × height × width` image. With
/// probability `probability` a rectangle covering a uniform fraction of the image's
/// area in `minimumArea...maximumArea`, with a log-uniform aspect ratio (height over
/// width) in `minimumAspect...maximumAspect`, is filled after standardisation — so
/// `.constant` fills with the data set's mean — and up to ten draws are tried before
/// the image is left as it is, as timm does. Applied after crop and flip.
public struct RandomErasing: Sendable, Equatable {
    /// What the erased rectangle is filled with, in standardised units.
    public enum Fill: String, Sendable, Equatable, CaseIterable {
        /// Zero: the per-channel mean (timm's `const`).
        case constant = "const"
        /// One standard-normal value per channel (timm's `rand`).
        case perChannel = "rand"
        /// An independent standard-normal value per pixel and channel (timm's `pixel`, its default).
        case perPixel = "pixel"
    }

    /// Chance that an image is erased at all.
    public var probability: Double
    /// Smallest erased fraction of the image's area.
    public var minimumArea: Double
    /// Largest erased fraction of the image's area.
    public var maximumArea: Double
    /// Smallest height-to-width ratio of the rectangle.
    public var minimumAspect: Double
    /// Largest height-to-width ratio of the rectangle.
    public var maximumAspect: Double
    /// The fill of the erased rectangle.
    public var fill: Fill
    /// Erase between 1 and this many rectangles per erased image, sharing the drawn area (timm's `--recount`).
    public var maximumCount: Int

    /// Random erasing with timm's defaults for everything but the probability and fill.
    ///
    /// - Precondition: `probability` in `0...1`, `0 < minimumArea <= maximumArea <= 1`,
    ///   `0 < minimumAspect <= maximumAspect`.
    public init(probability: Double, fill: Fill = .perPixel, minimumArea: Double = 0.02, maximumArea: Double = 1.0 / 3,
                minimumAspect: Double = 0.3, maximumAspect: Double = 1 / 0.3, maximumCount: Int = 1) {
        precondition(maximumCount >= 1, "the erasing count must be at least 1, got \(maximumCount)")
        precondition((0...1).contains(probability), "erasing probability must be in 0...1, got \(probability)")
        precondition(minimumArea > 0 && minimumArea <= maximumArea && maximumArea <= 1,
                     "erased area fractions must satisfy 0 < \(minimumArea) <= \(maximumArea) <= 1")
        precondition(minimumAspect > 0 && minimumAspect <= maximumAspect,
                     "aspect ratios must satisfy 0 < \(minimumAspect) <= \(maximumAspect)")
        self.probability = probability
        self.fill = fill
        self.minimumArea = minimumArea
        self.maximumArea = maximumArea
        self.minimumAspect = minimumAspect
        self.maximumAspect = maximumAspect
        self.maximumCount = maximumCount
    }
}
