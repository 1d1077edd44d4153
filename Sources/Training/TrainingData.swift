import DataPipeline
import Foundation
import Recipes

/// The data a recipe trains and evaluates on: the two image sets, their statistics and loaders.
///
/// Standardisation uses the training set's own per-channel mean and deviation;
/// the training loader shuffles, augments and drops the last partial batch; the
/// evaluation loader visits every image exactly once in order.
struct TrainingData {
    let classNames: [String]
    let channels: Int
    let trainingCount: Int
    let evaluationCount: Int
    let statistics: ChannelStatistics
    let trainingLoader: BatchLoader
    let evaluationLoader: BatchLoader

    init(recipe: Recipe) throws {
        let directory = URL(fileURLWithPath: recipe.data.path)
        var training: LabeledImageSet
        var evaluation: LabeledImageSet
        switch recipe.data.dataset {
        case .fashionMNIST:
            training = try FashionMNIST.load(split: .train, directory: directory)
            evaluation = try FashionMNIST.load(split: .test, directory: directory)
        }
        training = Self.prefix(training, limit: recipe.data.trainLimit)
        evaluation = Self.prefix(evaluation, limit: recipe.data.evalLimit)
        classNames = training.classNames
        channels = training.channels
        trainingCount = training.count
        evaluationCount = evaluation.count
        statistics = ChannelStatistics.measure(training)
        trainingLoader = BatchLoader(
            set: training, batchSize: recipe.data.batchSize, shuffle: true, dropLast: true,
            augmentation: Self.trainingAugmentation(recipe.data),
            statistics: statistics, seed: recipe.seed, workers: recipe.data.workers)
        evaluationLoader = BatchLoader(
            set: evaluation, batchSize: recipe.data.evalBatchSize, shuffle: false, dropLast: false,
            augmentation: .none, statistics: statistics, seed: recipe.seed, workers: recipe.data.workers)
    }

    /// The recipe's crop, flip and random erasing as the loader's augmentation.
    static func trainingAugmentation(_ data: Recipe.Data) -> Augmentation {
        let fill: RandomErasing.Fill = switch data.randomErasingMode {
        case .const: .constant
        case .rand: .perChannel
        case .pixel: .perPixel
        }
        return Augmentation(
            randomCropPadding: data.randomCropPadding, horizontalFlip: data.horizontalFlip,
            randomErasing: data.randomErasing > 0 ? RandomErasing(probability: data.randomErasing, fill: fill) : nil)
    }

    /// The first `limit` images of `set` (all of them when `limit` is 0 or larger than the set).
    static func prefix(_ set: LabeledImageSet, limit: Int) -> LabeledImageSet {
        guard limit > 0, limit < set.count else { return set }
        return LabeledImageSet(height: set.height, width: set.width, channels: set.channels,
                               pixels: Array(set.pixels.prefix(limit * set.pixelsPerImage)),
                               labels: Array(set.labels.prefix(limit)), classNames: set.classNames)
    }
}
