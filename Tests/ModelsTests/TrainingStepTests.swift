import Autodiff
import Layers
import Models
import Optimizers
import TensorCore
import Testing

/// Every model trains: a forward and backward pass gives a finite loss and a finite gradient for every parameter.
@Suite struct TrainingStepTests {
    /// One training step on two 32x32 images; the loss and every parameter's gradient must be finite.
    func expectFiniteStep(_ model: ResNet, channels: Int = 3, size: Int = 32) {
        let images = randomImages(count: 2, channels: channels, size: size, seed: 11)
        let logits = model(images)
        #expect(logits.shape == [2, model.configuration.classes])
        let loss = softmaxCrossEntropy(logits: logits, labels: [1, 7])
        #expect(loss.value.scalars[0].isFinite)
        loss.backward()
        for (path, parameter) in model.namedParameters() {
            guard let gradient = parameter.gradient else {
                Issue.record("\(path) has no gradient")
                continue
            }
            #expect(gradient.shape == parameter.shape, "\(path)")
            #expect(plainScalars(gradient).allSatisfy { $0.isFinite }, "\(path) has a non-finite gradient")
        }
    }

    /// At a quarter of the width (the same blocks, names and strides; a full-width build is slow in debug builds).
    @Test(arguments: ModelRegistry.ids)
    func everyRegistryModelTrainsAStep(id: String) {
        expectFiniteStep(makeModel(id, classes: 10) { $0.widthMultiplier = 0.25 })
    }

    @Test(arguments: ResNetConfiguration.Stem.allCases)
    func everyStemWithEveryTweakTrainsAStep(stem: ResNetConfiguration.Stem) {
        let model = makeModel("resnet26", classes: 10, inputChannels: 1) {
            $0.stem = stem
            $0.downsample = .averagePool
            $0.stridePlacement = .firstConvolution
            $0.normalization = .group(groups: 8)
            $0.zeroInitialResidualScale = true
            $0.dropPathRate = 0.2
            $0.dropoutRate = 0.3
            $0.widthMultiplier = 0.25
        }
        expectFiniteStep(model, channels: 1, size: 32)
    }

    @Test func tinyModelOverfitsATinyBatch() {
        let model = makeModel("resnet18", classes: 10, inputChannels: 1, seed: 5) {
            $0.stem = .smallImage
            $0.widthMultiplier = 0.25
        }
        let images = randomImages(count: 8, channels: 1, size: 16, seed: 21)
        var generator = SeededGenerator(seed: 22)
        let labels = (0..<8).map { _ in Int32.random(in: 0..<10, using: &generator) }
        let optimizer = SGD(parameters: model.namedParameters(), learningRate: 0.05, momentum: 0.9)
        var accuracy = 0.0
        for _ in 0..<100 {
            optimizer.zeroGradients()
            let logits = model(images)
            let loss = softmaxCrossEntropy(logits: logits, labels: labels)
            loss.backward()
            optimizer.step()
            accuracy = Self.accuracy(logits: plainScalars(logits.value), labels: labels, classes: 10)
            if accuracy == 1 { break }
        }
        #expect(accuracy == 1)
    }

    static func accuracy(logits: [Float], labels: [Int32], classes: Int) -> Double {
        let correct = labels.enumerated().filter { row, label in
            let scores = logits[row * classes..<(row + 1) * classes]
            return scores.indices.max { scores[$0] < scores[$1] }! - row * classes == Int(label)
        }.count
        return Double(correct) / Double(labels.count)
    }
}
