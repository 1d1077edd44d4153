import Foundation
import Interop
import Models
import Recipes

/// Evaluates given weights on a recipe's evaluation set, as `hone eval` does.
///
/// The recipe describes the model and the data (and its preprocessing), so
/// weights trained elsewhere with torchvision's names evaluate on the same images
/// with the same standardisation as a Hone run.
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

    /// Top-1, top-5, loss and per-class accuracy over every evaluation image.
    public func evaluate() throws -> EvaluationMetrics {
        try Training.evaluate(model: model, loader: data.evaluationLoader, classes: data.classNames.count,
                              precision: recipe.run.precision)
    }
}
