import Autodiff
import Layers
import TensorCore

/// Stochastic depth on a residual branch: in training, each sample's branch is dropped with probability `rate`.
///
/// Shapes: [N, ...] in, the same out. Kept samples are scaled by 1 / (1 − rate)
/// so the expected output equals the input, as timm's `DropPath`; evaluation and a
/// rate of 0 pass the input through. The random draws come from the model's
/// generator, so a checkpoint that saves its state resumes the same masks.
public final class DropPath: ModeDependentLayer {
    /// The probability of dropping a sample's branch, in [0, 1).
    public let rate: Double
    public var isTraining = true

    public init(rate: Double) {
        precondition((0..<1).contains(rate), "drop-path rate must be in [0, 1), got \(rate)")
        self.rate = rate
    }

    /// The branch with each sample kept (and scaled by 1 / (1 − rate)) or zeroed; one draw per sample.
    public func callAsFunction(_ input: Variable, generator: inout SeededGenerator) -> Variable {
        guard isTraining, rate > 0 else { return input }
        let keep = 1 - rate
        let scales = (0..<input.shape[0]).map { _ in generator.uniform() < keep ? Float(1 / keep) : 0 }
        return multiply(input, perSampleScale: Tensor(shape: [scales.count], scalars: scales))
    }
}
