/// One of timm's AutoAugment/RandAugment operations, named as in timm's `NAME_TO_OP` (`auto_augment.py`).
///
/// Shapes: each case turns a magnitude (timm's level, 0...10 by default, as a real
/// number once noise is added) into one argument by timm's `LEVEL_TO_ARG` formula,
/// then applies PIL's operation with it. The `…Increasing` variants are timm's
/// versions whose severity grows with the magnitude (RandAugment's `inc1`); the
/// `posterizeOriginal` scale is the AutoAugment paper's. An enum rather than
/// closures so a policy is a comparable, printable value and the raw value is
/// the name a recipe or a log shows.
public enum AugmentOperation: String, Sendable, Equatable, CaseIterable {
    /// `ImageOps.autocontrast`; no argument.
    case autoContrast = "AutoContrast"
    /// `ImageOps.equalize`; no argument.
    case equalize = "Equalize"
    /// `ImageOps.invert`; no argument.
    case invert = "Invert"
    /// `Image.rotate` by ±(m/10)·30 degrees.
    case rotate = "Rotate"
    /// `ImageOps.posterize` keeping `int((m/10)·4)` bits (the TPU EfficientNet scale: stronger at low m).
    case posterize = "Posterize"
    /// `ImageOps.posterize` keeping `4 − int((m/10)·4)` bits.
    case posterizeIncreasing = "PosterizeIncreasing"
    /// `ImageOps.posterize` keeping `int((m/10)·4) + 4` bits (the AutoAugment paper's scale).
    case posterizeOriginal = "PosterizeOriginal"
    /// `ImageOps.solarize` at threshold `min(256, int((m/10)·256))`.
    case solarize = "Solarize"
    /// `ImageOps.solarize` at threshold `256 − min(256, int((m/10)·256))`.
    case solarizeIncreasing = "SolarizeIncreasing"
    /// timm's `solarize_add`: `min(128, int((m/10)·110))` added below 128.
    case solarizeAdd = "SolarizeAdd"
    /// `ImageEnhance.Color` at `(m/10)·1.8 + 0.1`.
    case color = "Color"
    /// `ImageEnhance.Color` at `max(0.1, 1 ± (m/10)·0.9)`.
    case colorIncreasing = "ColorIncreasing"
    /// `ImageEnhance.Contrast` at `(m/10)·1.8 + 0.1`.
    case contrast = "Contrast"
    /// `ImageEnhance.Contrast` at `max(0.1, 1 ± (m/10)·0.9)`.
    case contrastIncreasing = "ContrastIncreasing"
    /// `ImageEnhance.Brightness` at `(m/10)·1.8 + 0.1`.
    case brightness = "Brightness"
    /// `ImageEnhance.Brightness` at `max(0.1, 1 ± (m/10)·0.9)`.
    case brightnessIncreasing = "BrightnessIncreasing"
    /// `ImageEnhance.Sharpness` at `(m/10)·1.8 + 0.1`.
    case sharpness = "Sharpness"
    /// `ImageEnhance.Sharpness` at `max(0.1, 1 ± (m/10)·0.9)`.
    case sharpnessIncreasing = "SharpnessIncreasing"
    /// Affine shear `(1, s, 0, 0, 1, 0)` with s = ±(m/10)·0.3.
    case shearX = "ShearX"
    /// Affine shear `(1, 0, 0, s, 1, 0)` with s = ±(m/10)·0.3.
    case shearY = "ShearY"
    /// Horizontal shift by ±(m/10)·`translateConstant` pixels.
    case translateX = "TranslateX"
    /// Vertical shift by ±(m/10)·`translateConstant` pixels.
    case translateY = "TranslateY"
    /// Horizontal shift by ±(m/10)·`translateFraction` of the width.
    case translateXRelative = "TranslateXRel"
    /// Vertical shift by ±(m/10)·`translateFraction` of the height.
    case translateYRelative = "TranslateYRel"

    /// timm's `_LEVEL_DENOM`: the magnitude that means "full strength".
    public static let levelDenominator = 10.0

    /// Whether timm's level function negates the argument with probability 0.5 (`_randomly_negate`).
    public var isSigned: Bool {
        switch self {
        case .rotate, .shearX, .shearY, .translateX, .translateY, .translateXRelative, .translateYRelative,
             .colorIncreasing, .contrastIncreasing, .brightnessIncreasing, .sharpnessIncreasing:
            true
        default:
            false
        }
    }

    /// Whether the operation moves pixels, and so uses the interpolation and the fill.
    public var isGeometric: Bool {
        switch self {
        case .rotate, .shearX, .shearY, .translateX, .translateY, .translateXRelative, .translateYRelative: true
        default: false
        }
    }

    /// timm's `LEVEL_TO_ARG` for this operation at `magnitude`, negated where the draw says so.
    ///
    /// Degrees for rotate, bits for posterize, a threshold for solarize, the added
    /// amount for solarize-add, an enhancement factor, a shear factor, a shift in
    /// pixels (absolute translate) or a fraction of the side (relative translate);
    /// 0 for the operations without an argument. `negated` is ignored where the
    /// operation is not signed. The products and truncations are timm's, in double.
    public func argument(magnitude: Double, negated: Bool, hyperparameters: AugmentHyperparameters) -> Double {
        let level = magnitude / Self.levelDenominator
        let sign: Double = negated && isSigned ? -1 : 1
        switch self {
        case .autoContrast, .equalize, .invert:
            return 0
        case .rotate:
            return sign * (level * 30.0)
        case .posterize:
            return Double(Int(level * 4))
        case .posterizeIncreasing:
            return Double(4 - Int(level * 4))
        case .posterizeOriginal:
            return Double(Int(level * 4) + 4)
        case .solarize:
            return Double(min(256, Int(level * 256)))
        case .solarizeIncreasing:
            return Double(256 - min(256, Int(level * 256)))
        case .solarizeAdd:
            return Double(min(128, Int(level * 110)))
        case .color, .contrast, .brightness, .sharpness:
            return level * 1.8 + 0.1
        case .colorIncreasing, .contrastIncreasing, .brightnessIncreasing, .sharpnessIncreasing:
            return max(0.1, 1.0 + sign * (level * 0.9))
        case .shearX, .shearY:
            return sign * (level * 0.3)
        case .translateX, .translateY:
            return sign * (level * Double(hyperparameters.translateConstant))
        case .translateXRelative, .translateYRelative:
            return sign * (level * hyperparameters.translateFraction)
        }
    }

    /// PIL's operation with an argument from `argument(magnitude:negated:hyperparameters:)`.
    ///
    /// `interpolation` and `fill` matter only for the geometric operations; a
    /// relative translate turns its fraction into pixels of this image's side, as
    /// timm's `translate_x_rel` does (`pct × width`, unrounded).
    public func apply(to image: ByteImage, argument: Double, interpolation: Interpolation, fill: FillColor) -> ByteImage {
        switch self {
        case .autoContrast: return image.autocontrasted()
        case .equalize: return image.equalized()
        case .invert: return image.inverted()
        case .rotate: return image.rotated(degrees: argument, interpolation: interpolation, fill: fill)
        case .posterize, .posterizeIncreasing, .posterizeOriginal: return image.posterized(bits: Int(argument))
        case .solarize, .solarizeIncreasing: return image.solarized(threshold: argument)
        case .solarizeAdd: return image.solarizedByAddition(Int(argument))
        case .color, .colorIncreasing: return image.adjustingSaturation(argument)
        case .contrast, .contrastIncreasing: return image.adjustingContrast(argument)
        case .brightness, .brightnessIncreasing: return image.adjustingBrightness(argument)
        case .sharpness, .sharpnessIncreasing: return image.adjustingSharpness(argument)
        case .shearX:
            return image.affineTransformed(AffineMatrix(a: 1, b: argument, c: 0, d: 0, e: 1, f: 0),
                                           interpolation: interpolation, fill: fill)
        case .shearY:
            return image.affineTransformed(AffineMatrix(a: 1, b: 0, c: 0, d: argument, e: 1, f: 0),
                                           interpolation: interpolation, fill: fill)
        case .translateX:
            return image.affineTransformed(AffineMatrix(a: 1, b: 0, c: argument, d: 0, e: 1, f: 0),
                                           interpolation: interpolation, fill: fill)
        case .translateY:
            return image.affineTransformed(AffineMatrix(a: 1, b: 0, c: 0, d: 0, e: 1, f: argument),
                                           interpolation: interpolation, fill: fill)
        case .translateXRelative:
            return image.affineTransformed(AffineMatrix(a: 1, b: 0, c: argument * Double(image.width), d: 0, e: 1, f: 0),
                                           interpolation: interpolation, fill: fill)
        case .translateYRelative:
            return image.affineTransformed(AffineMatrix(a: 1, b: 0, c: 0, d: 0, e: 1, f: argument * Double(image.height)),
                                           interpolation: interpolation, fill: fill)
        }
    }
}
