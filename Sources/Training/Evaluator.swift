import DataPipeline
import Foundation
import Interop
import Models
import Recipes

/// Evaluates given weights on a recipe's evaluation set, as `hone eval` does, at the recipe's or other test resolutions.
///
/// The recipe describes the model and the data (and its preprocessing), so
/// weights trained elsewhere with torchvision's names evaluate on the same images
/// with the same standardisation as a Hone run. The weights are loaded once; a
/// resolution sweep then only rebuilds the evaluation loader per test size and crop
/// fraction, and batch-norm recalibration changes the running statistics for one
/// evaluation and puts them back.
public struct Evaluator {
    let recipe: Recipe
    let data: TrainingData
    let model: ResNet

    public init(recipe: Recipe) throws {
        self.recipe = recipe
        data = try TrainingData(recipe: recipe)
        model = try ModelFactory.makeModel(recipe: recipe, classes: data.classNames.count, inputChannels: data.channels)
    }

    public var classNames: [String] { data.classNames }

    /// Loads a safetensors state dictionary into the model.
    public func load(weights url: URL) throws -> StateDictionary.LoadReport {
        try StateDictionary.load(try SafeTensors(contentsOf: url), into: model, source: url.path)
    }

    /// The test size and crop fraction the recipe evaluates at (`eval_image_size` or `image_size`, `crop_pct`).
    ///
    /// - Throws: `DataConfigurationError` naming `data.dataset` or `data.in_memory`
    ///   when the images are held in memory at one fixed size.
    public func recipeResolution() throws -> EvaluationResolution {
        try requireStreamedData()
        return data.recipeResolution()
    }

    /// Top-1, top-5, loss and per-class accuracy over every evaluation image.
    ///
    /// At `resolution` when given (streamed image data only), else as the recipe says;
    /// with `recalibrationBatches` > 0 the batch norms are first recalibrated on that
    /// many training batches at the same resolution (see `BatchNormRecalibration`), and
    /// their trained statistics are restored before this returns.
    public func evaluate(at resolution: EvaluationResolution? = nil,
                         recalibrationBatches: Int = 0) throws -> EvaluationMetrics {
        if resolution != nil { try requireStreamedData() }
        let loader = resolution.map { data.evaluationLoader(at: $0) } ?? data.evaluationLoader
        guard recalibrationBatches > 0 else { return try evaluate(on: loader) }
        let snapshot = BatchNormSnapshot(of: model)
        defer { snapshot.restore() }
        try recalibrateBatchNorm(batches: recalibrationBatches, at: resolution)
        return try evaluate(on: loader)
    }

    /// Replaces the model's running statistics by their average over `batches` training batches at `resolution`.
    ///
    /// The training images take the evaluation transform (resize and centre crop at
    /// `resolution`, or the recipe's), as FixRes' fine-tuning feeds them; in-memory sets
    /// are used as they are, without augmentation. The statistics stay replaced: a
    /// caller that only evaluates restores them (as `evaluate` does).
    @discardableResult
    public func recalibrateBatchNorm(batches: Int, at resolution: EvaluationResolution? = nil)
        throws -> BatchNormRecalibration.Report {
        if resolution != nil { try requireStreamedData() }
        let recalibration = try BatchNormRecalibration(batches: batches, precision: recipe.run.precision)
        return try recalibration.apply(to: model, loader: data.recalibrationLoader(at: resolution))
    }

    /// The model's state dictionary (weights, running statistics), as a checkpoint stores it.
    public func stateDictionary(metadata: [String: String] = [:]) -> SafeTensors {
        StateDictionary.export(model, metadata: metadata)
    }

    private func evaluate(on loader: any EpochBatchSource) throws -> EvaluationMetrics {
        try Training.evaluate(model: model, loader: loader, classes: data.classNames.count,
                              precision: recipe.run.precision)
    }

    private func requireStreamedData() throws {
        if let key = TrainingData.fixedSizeKey(recipe.data) { throw data.fixedSizeError(key: key) }
    }
}
