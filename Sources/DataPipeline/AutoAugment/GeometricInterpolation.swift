/// How an automatic augmentation's rotate, shear and translate ops resample: one fixed filter, or bilinear or bicubic at random per op.
///
/// Shapes: `.random` is timm's `_RANDOM_INTERPOLATION`, a fair choice between
/// bilinear and bicubic each time a geometric op runs — what timm does when the
/// training interpolation is `random`, its `train.py` default; `.fixed` is what timm
/// does when the recipe names one filter (it copies it into `hparams['interpolation']`).
public enum GeometricInterpolation: Sendable, Equatable {
    /// Bilinear or bicubic, chosen by a fair coin per geometric op.
    case random
    /// Always this filter.
    case fixed(Interpolation)

    /// The filter for one op given its coin: `.random` takes bicubic on heads, bilinear on tails.
    public func resolved(coin: Bool) -> Interpolation {
        switch self {
        case .random: coin ? .bicubic : .bilinear
        case .fixed(let interpolation): interpolation
        }
    }
}
