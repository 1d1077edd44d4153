import Autodiff
import TensorCore

/// The scalar a training step minimises, from the model's logits on one batch.
///
/// Shapes: `logits` is `[N, classes]` (f32, the loss always runs in f32); the result
/// is a scalar `Variable` whose backward pass reaches the model. Kept separate from
/// the step's mechanics (accumulation, clipping, the update) so losses compose freely.
public protocol TrainingObjective {
    func loss(logits: Variable, batch: TrainingBatch) -> Variable
}

/// Softmax cross-entropy: on the labels with label smoothing, or on the batch's soft targets when it has them.
public struct CrossEntropyObjective: TrainingObjective {
    /// Label smoothing ε for hard labels; soft targets carry their own.
    public var labelSmoothing: Float

    public init(labelSmoothing: Float = 0) {
        self.labelSmoothing = labelSmoothing
    }

    public func loss(logits: Variable, batch: TrainingBatch) -> Variable {
        if let softTargets = batch.softTargets {
            softmaxCrossEntropy(logits: logits, targets: Tensor(shape: logits.shape, scalars: softTargets))
        } else {
            softmaxCrossEntropy(logits: logits, labels: batch.labels, labelSmoothing: labelSmoothing)
        }
    }
}
