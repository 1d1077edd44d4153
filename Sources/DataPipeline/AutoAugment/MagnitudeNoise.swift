/// timm's random perturbation of an op's magnitude each time it runs (`magnitude_std`, the `mstd` config key).
///
/// Shapes: the drawn magnitude is clipped to `0...magnitudeMaximum` (10 unless
/// `mmax` says otherwise) before the level function sees it. timm turns an `mstd`
/// above 100 into infinity, which it reads as "uniform in 0...m" rather than a
/// Gaussian; the enum names that case instead of encoding it in a number.
public enum MagnitudeNoise: Sendable, Equatable {
    /// The magnitude as configured (`mstd0` or no `mstd`).
    case none
    /// A Gaussian around the magnitude with this standard deviation (`random.gauss(m, mstd)`).
    case gaussian(standardDeviation: Double)
    /// Uniform in `0...m` (`random.uniform(0, m)`, timm's `mstd` > 100).
    case uniform

    /// timm's reading of an `mstd` value: 0 or less none, above 100 uniform, else Gaussian.
    public init(timmStandardDeviation value: Double) {
        if value > 100 {
            self = .uniform
        } else if value > 0 {
            self = .gaussian(standardDeviation: value)
        } else {
            self = .none
        }
    }

    /// The magnitude for one run from `magnitude`, one standard-normal draw and one uniform in `[0, 1)`, clipped to `0...maximum`.
    public func perturb(_ magnitude: Double, normal: Double, unit: Double, maximum: Double) -> Double {
        let drawn: Double
        switch self {
        case .none: drawn = magnitude
        case .gaussian(let standardDeviation): drawn = magnitude + standardDeviation * normal
        case .uniform: drawn = magnitude * unit
        }
        return max(0, min(drawn, maximum))
    }
}
