import Autodiff
import DataPipeline
import Foundation
import Layers
import Models
import Recipes
import TensorCore

/// A recipe rehearsed for one optimizer step at a tiny size: what `hone check` runs before anyone spends hours on it.
///
/// It builds everything `hone train` would (data pipeline, model, optimizer, objective,
/// accumulation, clipping, weight EMA, precision) and takes one step on one small batch:
/// `2 × accumulation_steps` images, crops of at most `maximumImageSize` pixels. When the
/// recipe's data set is on this machine the batch comes through the real pipeline
/// (decoding, augmentation, mixup/CutMix); when it is not (an ImageNet preset on a laptop)
/// the batch is random images of the right channels with mixed targets when the recipe
/// mixes, and the report says so. A distillation teacher that is not trained yet is
/// stood in for by an untrained copy of the student's architecture, also reported.
public enum RecipeDryRun {
    public struct Report: Sendable {
        /// Where the batch came from, in words.
        public var data: String
        /// What stood in for the distillation teacher, when something did.
        public var teacher: String?
        public var batchSize: Int
        public var imageSize: Int
        public var classes: Int
        public var loss: Double
        /// Trainable tensors the step changed, out of all of them.
        public var updatedParameters: Int
        public var parameters: Int
        /// Whether the weight average took its first update.
        public var averagedWeights: Bool
    }

    /// Runs the rehearsal; throws the same errors `hone train` would, naming the recipe key.
    public static func run(_ recipe: Recipe, maximumImageSize: Int = 32) throws -> Report {
        try TrainingSetup.validateBatching(recipe)
        var tiny = recipe
        let microBatch = 2
        tiny.data.batchSize = microBatch * recipe.gradient.accumulationSteps
        tiny.data.evalBatchSize = tiny.data.batchSize
        tiny.data.trainLimit = 512
        tiny.data.evalLimit = tiny.data.batchSize
        if tiny.data.imageSize > maximumImageSize { tiny.data.imageSize = maximumImageSize }
        if tiny.data.evalImageSize > maximumImageSize { tiny.data.evalImageSize = maximumImageSize }

        let batch: TrainingBatch
        let classes: Int
        let channels: Int
        let dataNote: String
        let root = (recipe.data.path as NSString).expandingTildeInPath
        if FileManager.default.fileExists(atPath: root) {
            let data = try TrainingData(recipe: tiny)
            var stream = data.trainingLoader.stream(epoch: 0, startingAt: 0)
            guard let first = try stream.next() else {
                throw DataConfigurationError(key: "data.path", message: "\(root) gave no training batch")
            }
            classes = data.classNames.count
            channels = data.channels
            batch = TrainingBatch(
                images: Tensor(shape: [first.count, first.channels, first.height, first.width], scalars: first.pixels),
                labels: first.labels, softTargets: first.softTargets)
            dataNote = "\(recipe.data.dataset.rawValue) at \(root): \(data.trainingCount) of its training images indexed, "
                + "one batch through the real pipeline"
        } else {
            classes = 10
            channels = recipe.data.dataset == .fashionMNIST ? 1 : 3
            let size = tiny.data.imageSize > 0 ? tiny.data.imageSize : (channels == 1 ? 28 : 32)
            batch = try syntheticBatch(recipe: tiny, classes: classes, channels: channels, size: size)
            dataNote = "\(root) is not on this machine: random \(size)x\(size) images with \(classes) classes"
        }

        var teacherNote: String?
        let objective: any TrainingObjective
        if let teacherPath = recipe.loss.distillationTeacher,
           !FileManager.default.fileExists(atPath: (teacherPath as NSString).expandingTildeInPath) {
            var student = recipe
            student.loss.distillationTeacher = nil
            let hard = try ObjectiveFactory.makeObjective(recipe: student, classes: classes, inputChannels: channels)
            let stand = try ModelFactory.makeModel(recipe: recipe, classes: classes, inputChannels: channels)
            stand.setTraining(false)
            objective = DistillationObjective(hard: hard, teacher: UntrainedTeacher(model: stand, precision: recipe.run.precision),
                                              alpha: Float(recipe.loss.distillationAlpha),
                                              temperature: Float(recipe.loss.distillationTemperature))
            teacherNote = "\(teacherPath) is not trained yet: an untrained \(recipe.model.name) stood in"
        } else {
            objective = try ObjectiveFactory.makeObjective(recipe: recipe, classes: classes, inputChannels: channels)
        }

        let learningRate = recipe.optimizer.effectiveLearningRate(batchSize: recipe.data.batchSize)
        let setup = try TrainingSetup(recipe: tiny, classes: classes, channels: channels, learningRate: learningRate,
                                      objective: objective)
        let before = setup.optimizer.parameters.map { $0.parameter.value.scalars }
        setup.setTraining(true)
        let loss = setup.step(batch, learningRate: learningRate)
        let averaged = setup.ema?.update(from: setup.model, afterStep: recipe.ema.every) ?? false
        let updated = zip(setup.optimizer.parameters, before).filter { $0.0.parameter.value.scalars != $0.1 }.count
        guard loss.isFinite else {
            throw DryRunError(message: "the step's loss is \(loss) (expected a finite number)")
        }
        guard updated > 0 else {
            throw DryRunError(message: "the step changed no parameter (learning rate \(learningRate))")
        }
        return Report(data: dataNote, teacher: teacherNote, batchSize: batch.count, imageSize: batch.images.shape[3],
                      classes: classes, loss: loss, updatedParameters: updated,
                      parameters: setup.optimizer.parameters.count, averagedWeights: averaged)
    }

    /// Random images (uniform in [-2, 2], about a standardised image's range) and labels; mixed as the loader would.
    static func syntheticBatch(recipe: Recipe, classes: Int, channels: Int, size: Int) throws -> TrainingBatch {
        let count = recipe.data.batchSize
        var generator = SeededGenerator(seed: recipe.seed)
        let pixels = (0..<count * channels * size * size).map { _ in Float.random(in: -2...2, using: &generator) }
        let labels = (0..<count).map { _ in Int32.random(in: 0..<Int32(classes), using: &generator) }
        var floatBatch = FloatBatch(count: count, channels: channels, height: size, width: size, pixels: pixels,
                                    labels: labels, indices: Array(0..<count))
        if let mixing = try TrainingData.mixing(recipe, batchSize: count) {
            mixing.apply(to: &floatBatch, classCount: classes, seed: recipe.seed, epoch: 0, batchNumber: 0)
        }
        return TrainingBatch(images: Tensor(shape: [count, channels, size, size], scalars: floatBatch.pixels),
                             labels: floatBatch.labels, softTargets: floatBatch.softTargets)
    }
}

/// Why a dry run failed although every part could be built.
public struct DryRunError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { "dry run: \(message)" }
}

/// An untrained network in the teacher's place, so a distillation recipe can be checked before its teacher exists.
private struct UntrainedTeacher: DistillationTeacher {
    let model: ResNet
    let precision: Recipe.Run.Precision

    func logits(images: Tensor) -> Tensor {
        withoutGradients {
            let input = convert(Variable(images), to: precision.computeType)
            return Compute.backend.reorder(convert(model(input), to: .float32).value, to: .plain)
        }
    }
}
