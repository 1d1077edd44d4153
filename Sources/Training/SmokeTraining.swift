import Autodiff
import DataPipeline
import Foundation
import Layers
import Models
import Optimizers
import TensorCore

/// The engine's smoke training: a small ResNet on Fashion-MNIST for a few hundred steps, then exact test accuracy.
///
/// SGD with Nesterov momentum, linear warm-up then cosine decay per step, label
/// smoothing, per-channel standardisation from the training set's statistics.
/// Evaluation covers every one of the 10,000 test images once, batch norm on its
/// running statistics. Until the recipe-driven trainer lands, this is `hone train`.
public struct SmokeTraining {
    public struct Configuration: Sendable {
        public var steps = 400
        public var batchSize = 128
        public var learningRate: Float = 0.2
        public var warmupSteps = 40
        public var momentum: Float = 0.9
        public var weightDecay: Float = 5e-4
        public var labelSmoothing: Float = 0.1
        public var seed: UInt64 = 0
        public var evaluationBatchSize = 500
        public var dataDirectory = FashionMNIST.defaultDirectory

        public init() {}
    }

    public struct Report: Sendable {
        public var trainingLosses: [Float]
        public var testAccuracy: Double
        public var testLoss: Double
        public var trainingSeconds: Double
        public var trainingImagesPerSecond: Double { Double(trainingLosses.count * batchSize) / trainingSeconds }
        public var batchSize: Int
    }

    public let configuration: Configuration

    public init(configuration: Configuration) {
        self.configuration = configuration
    }

    /// Trains and evaluates, calling `log` with progress lines.
    public func run(log: (String) -> Void) throws(IDXError) -> Report {
        let training = try FashionMNIST.load(split: .train, directory: configuration.dataDirectory)
        let test = try FashionMNIST.load(split: .test, directory: configuration.dataDirectory)
        let (mean, deviation) = Self.statistics(of: training)
        log(String(format: "Fashion-MNIST: %d training, %d test images; mean %.4f, deviation %.4f",
                   training.count, test.count, mean, deviation))
        let model = SmallResNet(inputChannels: 1, classes: training.classNames.count, seed: configuration.seed)
        log("model: SmallResNet, \(model.parameterCount) parameters")
        let optimizer = SGD(parameters: model.namedParameters(), learningRate: 0, momentum: configuration.momentum,
                            nesterov: true, weightDecay: configuration.weightDecay, excludeBiasAndNormFromDecay: true)
        var generator = SeededGenerator(seed: configuration.seed &+ 1)
        var order: [Int] = []
        var losses: [Float] = []
        let start = Date()
        for step in 0..<configuration.steps {
            if order.count < configuration.batchSize { order += Array(0..<training.count).shuffled(using: &generator) }
            let indices = order.prefix(configuration.batchSize)
            order.removeFirst(configuration.batchSize)
            let batch = ImageBatch.gather(indices: indices, pixels: training.pixels, labels: training.labels,
                                          height: training.height, width: training.width, channels: 1,
                                          mean: [mean], deviation: [deviation])
            optimizer.learningRate = learningRate(at: step)
            let logits = model(Variable(batch.images))
            let loss = softmaxCrossEntropy(logits: logits, labels: batch.labels,
                                           labelSmoothing: configuration.labelSmoothing)
            optimizer.zeroGradients()
            loss.backward()
            optimizer.step()
            losses.append(loss.value.scalars[0])
            if step % 50 == 0 || step == configuration.steps - 1 {
                let recent = losses.suffix(50)
                log(String(format: "step %4d/%d  lr %.4f  loss %.4f (mean of last %d)", step + 1, configuration.steps,
                           optimizer.learningRate, recent.reduce(0, +) / Float(recent.count), recent.count))
            }
        }
        let seconds = Date().timeIntervalSince(start)
        let (accuracy, testLoss) = evaluate(model: model, on: test, mean: mean, deviation: deviation)
        log(String(format: "test: top-1 %.2f%%  loss %.4f  (%d images)  training %.1f s, %.0f images/s",
                   accuracy * 100, testLoss, test.count, seconds,
                   Double(configuration.steps * configuration.batchSize) / seconds))
        return Report(trainingLosses: losses, testAccuracy: accuracy, testLoss: testLoss, trainingSeconds: seconds,
                      batchSize: configuration.batchSize)
    }

    /// Linear warm-up from zero, then cosine decay to zero at the last step.
    func learningRate(at step: Int) -> Float {
        if step < configuration.warmupSteps {
            return configuration.learningRate * Float(step + 1) / Float(configuration.warmupSteps)
        }
        let progress = Double(step - configuration.warmupSteps) / Double(max(configuration.steps - configuration.warmupSteps, 1))
        return configuration.learningRate * Float(0.5 * (1 + cos(Double.pi * progress)))
    }

    /// Top-1 accuracy and mean loss over every image of `set`, batch norm on running statistics.
    func evaluate(model: SmallResNet, on set: LabeledImageSet, mean: Float, deviation: Float) -> (Double, Double) {
        model.setTraining(false)
        defer { model.setTraining(true) }
        var correct = 0
        var totalLoss = 0.0
        withoutGradients {
            var start = 0
            while start < set.count {
                let end = min(start + configuration.evaluationBatchSize, set.count)
                let batch = ImageBatch.gather(indices: Array(start..<end)[...], pixels: set.pixels, labels: set.labels,
                                              height: set.height, width: set.width, channels: 1,
                                              mean: [mean], deviation: [deviation])
                let logits = model(Variable(batch.images))
                let loss = softmaxCrossEntropy(logits: logits, labels: batch.labels)
                totalLoss += Double(loss.value.scalars[0]) * Double(end - start)
                let scores = logits.value.scalars
                let classes = logits.shape[1]
                for row in 0..<(end - start) {
                    let rowScores = scores[(row * classes)..<((row + 1) * classes)]
                    let predicted = rowScores.indices.max { rowScores[$0] < rowScores[$1] }! - row * classes
                    if predicted == Int(batch.labels[row]) { correct += 1 }
                }
                start = end
            }
        }
        return (Double(correct) / Double(set.count), totalLoss / Double(set.count))
    }

    /// The mean and standard deviation of all training pixels scaled to [0, 1].
    static func statistics(of set: LabeledImageSet) -> (Float, Float) {
        var sum = 0.0
        var squares = 0.0
        for pixel in set.pixels {
            let value = Double(pixel) / 255
            sum += value
            squares += value * value
        }
        let count = Double(set.pixels.count)
        let mean = sum / count
        return (Float(mean), Float((squares / count - mean * mean).squareRoot()))
    }
}
