/// timm's `AugmentOp`: an operation with its probability and magnitude, drawn afresh for every image.
///
/// Shapes: one draw makes six numbers from the sample's stream, always in this
/// order and whether or not they are used — the run decision (runs when a uniform
/// falls below `probability`), a standard normal and a uniform for the magnitude
/// noise, the sign coin, the filter coin — so changing a probability or the noise
/// moves no other draw. timm runs an op when `random() <= prob`; below is the
/// same up to the one value 0 of 2⁵³, and makes a probability of 0 exact.
public struct AugmentOp: Sendable, Equatable {
    /// The operation.
    public var operation: AugmentOperation
    /// Chance that the op runs at all.
    public var probability: Double
    /// The configured magnitude (timm's level, 0...10 by default).
    public var magnitude: Double
    /// Per-run perturbation of the magnitude.
    public var noise: MagnitudeNoise
    /// Upper clip of the perturbed magnitude (timm's `magnitude_max`, 10 by default).
    public var magnitudeMaximum: Double

    /// An op as timm's `AugmentOp(name, prob, magnitude)` with the noise and clip its hparams give.
    ///
    /// - Precondition: `probability` in `0...1`, `magnitude` and `magnitudeMaximum` not negative.
    public init(_ operation: AugmentOperation, probability: Double, magnitude: Double, noise: MagnitudeNoise = .none,
                magnitudeMaximum: Double = AugmentOperation.levelDenominator) {
        precondition((0...1).contains(probability), "an op's probability must be in 0...1, got \(probability)")
        precondition(magnitude >= 0 && magnitudeMaximum >= 0,
                     "magnitudes must not be negative, got \(magnitude) and maximum \(magnitudeMaximum)")
        self.operation = operation
        self.probability = probability
        self.magnitude = magnitude
        self.noise = noise
        self.magnitudeMaximum = magnitudeMaximum
    }

    /// This op's outcome for one image, from the next six draws of `generator`.
    func step(using generator: inout CounterRandomGenerator, interpolation: GeometricInterpolation) -> AugmentStep {
        let applies = generator.unitInterval() < probability
        let normal = generator.standardNormal()
        let unit = generator.unitInterval()
        let negated = generator.coin()
        let filterCoin = generator.coin()
        return AugmentStep(operation: operation, applies: applies,
                           magnitude: noise.perturb(magnitude, normal: normal, unit: unit, maximum: magnitudeMaximum),
                           negated: negated, interpolation: interpolation.resolved(coin: filterCoin))
    }
}
