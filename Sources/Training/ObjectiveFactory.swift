import Recipes

/// Builds the training objective a recipe's `loss` section describes, loading the distillation teacher it names.
///
/// `ce` is softmax cross-entropy and `bce` binary cross-entropy (timm's `BinaryCrossEntropy`),
/// both with the section's label smoothing for hard labels; a `distillation_teacher` wraps
/// either in a `DistillationObjective` whose teacher is loaded here, once, for the whole run.
public enum ObjectiveFactory {
    /// The objective for a student with `classes` classes and `inputChannels`-channel images.
    public static func makeObjective(recipe: Recipe, classes: Int,
                                     inputChannels: Int) throws(ObjectiveFactoryError) -> any TrainingObjective {
        let loss = recipe.loss
        let smoothing = Float(loss.labelSmoothing)
        let hard: any TrainingObjective
        switch loss.name {
        case .ce:
            if let threshold = loss.bceTargetThreshold { throw .thresholdWithoutBinaryCrossEntropy(threshold: threshold) }
            hard = CrossEntropyObjective(labelSmoothing: smoothing)
        case .bce:
            hard = BinaryCrossEntropyObjective(labelSmoothing: smoothing,
                                               targetThreshold: loss.bceTargetThreshold.map { Float($0) })
        }
        guard let path = loss.distillationTeacher else { return hard }
        let teacher: TeacherModel
        do {
            teacher = try TeacherModel(path: path, classes: classes, inputChannels: inputChannels,
                                       precision: recipe.run.precision)
        } catch {
            throw .teacher(error)
        }
        return DistillationObjective(hard: hard, teacher: teacher, alpha: Float(loss.distillationAlpha),
                                     temperature: Float(loss.distillationTemperature))
    }
}

/// Why the recipe's objective cannot be built.
public enum ObjectiveFactoryError: Error, CustomStringConvertible, Equatable {
    case thresholdWithoutBinaryCrossEntropy(threshold: Double)
    case teacher(TeacherModelError)

    public var description: String {
        switch self {
        case .thresholdWithoutBinaryCrossEntropy(let threshold):
            "loss.bce_target_threshold: \(threshold) applies only to binary cross-entropy; "
                + "expected loss.name: bce, or a null threshold"
        case .teacher(let error):
            error.description
        }
    }
}
