import Models
import Optimizers
import Recipes

/// The model, weight average, optimizer and step a recipe trains with: built one way for `hone train` and `hone check`.
///
/// `classes` and `channels` come from the data (or the dry run's stand-in batch);
/// `objective` is passed in because the trainer loads the distillation teacher a
/// recipe names while a dry run may stand in for a teacher that is not trained yet.
struct TrainingSetup {
    let model: ResNet
    /// The moving average of the weights, when the recipe keeps one.
    let ema: ModelEMA?
    let optimizer: any Optimizer
    let step: TrainingStep

    init(recipe: Recipe, classes: Int, channels: Int, learningRate: Double,
         objective: any TrainingObjective) throws {
        try Self.validateBatching(recipe)
        let accumulationSteps = recipe.gradient.accumulationSteps
        model = try ModelFactory.makeModel(recipe: recipe, classes: classes, inputChannels: channels)
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
        step = TrainingStep(model: model, optimizer: optimizer, precision: recipe.run.precision, objective: objective,
                            accumulationSteps: accumulationSteps, clipping: TrainingStep.clipping(recipe.gradient))
    }

    /// Checks that the batch splits into the recipe's micro-batches and pairs for mixup/CutMix.
    static func validateBatching(_ recipe: Recipe) throws {
        let batchSize = recipe.data.batchSize
        let accumulationSteps = recipe.gradient.accumulationSteps
        guard batchSize % accumulationSteps == 0 else {
            throw DataConfigurationError(
                key: "gradient.accumulation_steps",
                message: "\(accumulationSteps) micro-batches do not divide data.batch_size \(batchSize) evenly; "
                    + "expected a divisor of \(batchSize)")
        }
        _ = try TrainingData.mixing(recipe, batchSize: batchSize)
    }
}
