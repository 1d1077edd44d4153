import Autodiff
import Layers
import Models
import TensorCore
import TestSupport
import Testing

/// The module tree: torchvision's dotted names, buffers apart from parameters, modes, initialisers.
@Suite struct ModuleTreeTests {
    /// An eighth-width ResNet-18 for one-channel images: the full tree of names at a small cost.
    func smallModel() -> ResNet {
        var configuration = ModelRegistry.configuration(id: "resnet18", classes: 10, inputChannels: 1)!
        configuration.stem = .smallImage
        configuration.widthMultiplier = 0.125
        return ModelRegistry.makeModel(configuration, seed: 0)
    }

    @Test func pathsFollowTorchvisionNames() {
        _ = testBackend
        let model = smallModel()
        let parameters = model.namedParameters().map(\.path)
        #expect(parameters.prefix(3) == ["conv1.weight", "bn1.weight", "bn1.bias"])
        #expect(parameters.contains("layer2.0.downsample.0.weight"))
        #expect(parameters.contains("layer2.0.downsample.1.bias"))
        #expect(parameters.suffix(2) == ["fc.weight", "fc.bias"])
        let buffers = model.namedBuffers().map(\.path)
        #expect(buffers.contains("layer1.0.bn2.running_var"))
        #expect(buffers.contains("bn1.num_batches_tracked"))
        #expect(Set(parameters).isDisjoint(with: buffers))
    }

    @Test func setTrainingReachesEveryBatchNorm() {
        _ = testBackend
        let model = smallModel()
        model.setTraining(false)
        let norms = model.namedLayers().compactMap { $0.layer as? BatchNorm2D }
        #expect(norms.count == 1 + 8 * 2 + 3)
        #expect(norms.allSatisfy { !$0.isTraining })
    }

    @Test func batchNormUpdatesRunningStatisticsAsPyTorch() {
        _ = testBackend
        let norm = BatchNorm2D(channels: 3, momentum: 0.1)
        let input = ReferenceTensor.normal(shape: [2, 3, 5, 4], seed: 7, mean: 0.5, standardDeviation: 2)
        _ = norm(Variable(input.tensor()))
        let batch = Reference.batchNormTraining(input: input, scale: nil, shift: nil, epsilon: 1e-5)
        let expected = Reference.updatedRunningStatistics(
            runningMean: ReferenceTensor(zeros: [3]), runningVariance: ReferenceTensor(repeating: 1, shape: [3]),
            batchMean: batch.mean, batchBiasedVariance: batch.biasedVariance, count: 40, momentum: 0.1)
        expectClose(norm.runningMean.tensor, expected.mean, tolerance: Tolerance(relative: 1e-5, absolute: 1e-6))
        expectClose(norm.runningVariance.tensor, expected.variance, tolerance: Tolerance(relative: 1e-5, absolute: 1e-6))
        guard case .count(let batches) = norm.batchesTracked.value else { Issue.record("not a counter"); return }
        #expect(batches == 1)
    }

    @Test func kaimingNormalFanOutHasTorchvisionsDeviation() {
        var generator = SeededGenerator(seed: 3)
        let tensor = Initializer.kaimingNormalFanOut.tensor(shape: [64, 32, 3, 3], using: &generator)
        let values = tensor.scalars.map(Double.init)
        let mean = values.reduce(0, +) / Double(values.count)
        let deviation = (values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count)).squareRoot()
        let expected = (2.0 / Double(64 * 9)).squareRoot()
        #expect(abs(mean) < 0.1 * expected)
        #expect(abs(deviation / expected - 1) < 0.03)
    }

    @Test func pytorchDefaultInitialiserIsUniformWithinOneOverRootFanIn() {
        var generator = SeededGenerator(seed: 4)
        let values = Initializer.pytorchDefault.tensor(shape: [10, 25], using: &generator).scalars
        let bound = Float(1 / 25.0.squareRoot())
        #expect(values.allSatisfy { abs($0) <= bound * 1.0001 })
        #expect(values.contains { abs($0) > bound * 0.9 })
    }
}
