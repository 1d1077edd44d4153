import Autodiff
import TensorCore

/// A trained model whose logits a student learns from: the teacher of knowledge distillation.
public protocol DistillationTeacher {
    /// The teacher's logits for `images` ([N, C, H, W] f32 → [N, classes] f32), computed without recording gradients.
    func logits(images: Tensor) -> Tensor
}

/// Knowledge distillation (Hinton et al.; Bag of Tricks §5): the hard objective blended with a pull towards a teacher.
///
/// Shapes: logits [N, classes] f32 → a scalar. The loss is
/// `(1 − α)·hard + α·T²·KL(softmax(t / T) ‖ softmax(z / T))`, with `hard` the student's own
/// objective (cross-entropy with smoothing or soft targets, or binary cross-entropy), `t`
/// the teacher's logits on the same augmented images and `z` the student's; the KL term
/// is summed over classes and averaged over the batch. T² keeps the soft term's gradient
/// on the scale of the hard one's as T grows; α = 0 is the hard objective alone. This is
/// timm's `LogitDistillationTask` with `task_loss_weight = 1 − α`.
public struct DistillationObjective: TrainingObjective {
    /// The student's own objective on the labels or soft targets.
    public var hard: any TrainingObjective
    /// Where the soft targets come from.
    public var teacher: any DistillationTeacher
    /// The weight of the distillation term, in [0, 1].
    public var alpha: Float
    /// The softmax temperature T > 0.
    public var temperature: Float

    public init(hard: any TrainingObjective, teacher: any DistillationTeacher, alpha: Float, temperature: Float) {
        precondition((0...1).contains(alpha), "distillation alpha must be in [0, 1], got \(alpha)")
        precondition(temperature > 0 && temperature.isFinite, "temperature must be positive, got \(temperature)")
        self.hard = hard
        self.teacher = teacher
        self.alpha = alpha
        self.temperature = temperature
    }

    public func loss(logits: Variable, batch: TrainingBatch) -> Variable {
        let hardLoss = hard.loss(logits: logits, batch: batch)
        let teacherLogits = withoutGradients { teacher.logits(images: batch.images) }
        let divergence = kullbackLeiblerDivergence(logits: logits, teacherLogits: teacherLogits,
                                                   temperature: temperature)
        return weightedSum([hardLoss, divergence], weights: [1 - alpha, alpha * temperature * temperature])
    }
}
