/// The image-dependent settings timm passes to every AutoAugment op as `hparams`: fill, interpolation, translate sizes.
///
/// Shapes: `fill` is the colour of uncovered pixels (timm's `img_mean`), the
/// interpolation is that of rotate, shear and translate, `translateConstant` is the
/// full-strength shift of the absolute translate ops in pixels and
/// `translateFraction` that of the relative ones as a fraction of the side. timm's
/// `create_transform` sets `translate_const = int(0.45 × shorter image side)` and
/// `img_mean` from the data set's mean; the defaults here are its ImageNet values
/// with timm's stand-alone constant 250 for the translate, and a random filter as
/// with timm's default `--train-interpolation random`.
public struct AugmentHyperparameters: Sendable, Equatable {
    /// Colour of the pixels a geometric op uncovers.
    public var fill: FillColor
    /// Filter of the geometric ops.
    public var interpolation: GeometricInterpolation
    /// Shift in pixels of `TranslateX`/`TranslateY` at magnitude 10 (timm's `translate_const`).
    public var translateConstant: Int
    /// Shift as a fraction of the side of `TranslateXRel`/`TranslateYRel` at magnitude 10 (timm's `translate_pct`).
    public var translateFraction: Double

    /// Settings with timm's defaults for what is not given.
    public init(fill: FillColor = .imageNetMean, interpolation: GeometricInterpolation = .random,
                translateConstant: Int = 250, translateFraction: Double = 0.45) {
        self.fill = fill
        self.interpolation = interpolation
        self.translateConstant = translateConstant
        self.translateFraction = translateFraction
    }

    /// timm's defaults: ImageNet-mean fill, random bilinear or bicubic, 250 pixels, 0.45 of the side.
    public static let timmDefaults = AugmentHyperparameters()
}
