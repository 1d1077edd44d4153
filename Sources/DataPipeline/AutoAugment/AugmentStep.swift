/// One op's drawn outcome for one image: whether it runs, at which magnitude, with which sign and filter.
///
/// Shapes: `magnitude` is already perturbed and clipped; `negated` and
/// `interpolation` are drawn for every op and used only where the op is signed or
/// geometric. A value, not an action, so tests and logs can see exactly what an
/// image went through and replay it with `apply`.
public struct AugmentStep: Sendable, Equatable {
    /// The operation.
    public var operation: AugmentOperation
    /// Whether the op's probability let it run.
    public var applies: Bool
    /// The magnitude handed to the level function.
    public var magnitude: Double
    /// Whether the level function negates the argument (timm's `_randomly_negate`).
    public var negated: Bool
    /// The resampling filter of a geometric op.
    public var interpolation: Interpolation

    /// A step with every draw given, as a test or a replay supplies it.
    public init(operation: AugmentOperation, applies: Bool = true, magnitude: Double, negated: Bool = false,
                interpolation: Interpolation = .bilinear) {
        self.operation = operation
        self.applies = applies
        self.magnitude = magnitude
        self.negated = negated
        self.interpolation = interpolation
    }

    /// The argument timm's level function gives for this step.
    public func argument(hyperparameters: AugmentHyperparameters) -> Double {
        operation.argument(magnitude: magnitude, negated: negated, hyperparameters: hyperparameters)
    }

    /// `image` after this step: the operation at its argument, or the image itself when the step does not apply.
    public func apply(to image: ByteImage, hyperparameters: AugmentHyperparameters) -> ByteImage {
        guard applies else { return image }
        return operation.apply(to: image, argument: argument(hyperparameters: hyperparameters),
                               interpolation: interpolation, fill: hyperparameters.fill)
    }
}
