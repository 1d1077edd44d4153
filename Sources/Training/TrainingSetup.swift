import Models
import Optimizers
import Recipes

/// The model, weight average, optimizer and step a recipe trains with: built one way for `hone train` and `hone check`.
///
/// `classes` and `channels` come from the data (or the dry run's stand-in batch);
/// `objective` is passed in because the trainer loads the distillation teacher a
/// recipe names while a dry run may stand in for a teacher that is not trained yet.
/// In order: the model is built, the `init` weights loaded into it (unless a resumed run's
/// checkpoint will overwrite them), the `freeze` parts frozen, then the optimizer built
/// over the trainable parameters with the learning-rate factors of `layer_decay` and
/// `lr_multipliers`. `notes` says what the first three did, and whether bf16 fell back to f32, for the run's log.
struct TrainingSetup {
    let model: ResNet
    /// The frozen parameters and the batch norms kept in evaluation mode.
    let frozen: FrozenParts
    /// Log lines: the weights loaded and adapted, what is frozen, the learning-rate factors.
    let notes: [String]
    /// The moving average of the weights, when the recipe keeps one.
    let ema: ModelEMA?
    let optimizer: any Optimizer
    let step: TrainingStep

    init(recipe: Recipe, classes: Int, channels: Int, learningRate: Double,
         objective: any TrainingObjective, loadsInitialWeights: Bool = true) throws {
        try Self.validateBatching(recipe)
        let accumulationSteps = recipe.gradient.accumulationSteps
        model = try ModelFactory.makeModel(recipe: recipe, classes: classes, inputChannels: channels)
        var notes = recipe.run.precision.fallbackNote.map { [$0] } ?? []
        if loadsInitialWeights { notes += try InitialWeights.load(recipe.initialization, into: model) }
        frozen = try FrozenParts(recipe.freeze, model: model)
        if let line = frozen.summary(parameterCount: model.namedParameters().count) { notes.append(line) }
        if recipe.ema.isEnabled {
            let average = try ModelFactory.makeModel(recipe: recipe, classes: classes, inputChannels: channels)
            average.setTraining(false)
            ema = ModelEMA(model: model, average: average, decay: recipe.ema.decay, warmup: recipe.ema.warmup,
                           every: recipe.ema.every)
        } else {
            ema = nil
        }
        optimizer = OptimizerFactory.makeOptimizer(recipe: recipe, parameters: model.namedParameters(),
                                                   learningRate: learningRate)
        optimizer.learningRateScales = try LearningRateScales.scales(recipe.optimizer, parameters: model.namedParameters())
        if let line = LearningRateScales.summary(optimizer.learningRateScales, paths: optimizer.parameters.map(\.path)) {
            notes.append(line)
        }
        self.notes = notes
        step = TrainingStep(model: model, optimizer: optimizer, precision: recipe.run.precision,
                            objective: objective, accumulationSteps: accumulationSteps,
                            clipping: TrainingStep.clipping(recipe.gradient))
    }

    /// Switches the model to training (or evaluation) with the frozen parts' batch norms left in evaluation mode.
    func setTraining(_ training: Bool) {
        frozen.setTraining(training, model: model)
    }

    /// Checks that the batch splits into the recipe's micro-batches and pairs for mixup/CutMix.
    static func validateBatching(_ recipe: Recipe) throws {
        _ = try BatchSplit(recipe: recipe, ranks: 1)
        _ = try TrainingData.mixing(recipe, batchSize: recipe.data.batchSize)
    }
}
