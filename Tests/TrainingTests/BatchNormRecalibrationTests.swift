import Autodiff
import DataPipeline
import Layers
import TensorCore
import Testing
import TestSupport
import Training

/// Batch-norm recalibration computes PyTorch's `momentum=None` statistics and touches nothing else.
///
/// The model is a tiny conv → BN+ReLU → strided conv → BN stack, so the second norm's
/// input depends on the first norm's training-mode output; the reference redoes the
/// same forward passes in Float64 and averages the batch statistics directly.
@Suite struct BatchNormRecalibrationTests {
    /// conv(3→4, 3×3) → BN(4) with ReLU → conv(4→5, 3×3, stride 2) → BN(5).
    final class ConvNormModel: Classifier {
        let conv1: Conv2D
        let norm1 = BatchNorm2D(channels: 4, fuseReLU: true)
        let conv2: Conv2D
        let norm2 = BatchNorm2D(channels: 5)
        var isTraining = true

        init() {
            var generator = SeededGenerator(seed: 41)
            conv1 = Conv2D(inputChannels: 3, outputChannels: 4, kernelSize: 3, padding: 1, generator: &generator)
            conv2 = Conv2D(inputChannels: 4, outputChannels: 5, kernelSize: 3, stride: 2, padding: 1,
                           generator: &generator)
            for (index, norm) in [norm1, norm2].enumerated() {
                let channels = norm.weight.shape[0]
                norm.weight.assign(ReferenceTensor.random(shape: [channels], seed: 50 + UInt64(index), range: 0.5...1.5)
                    .tensor())
                norm.bias.assign(ReferenceTensor.random(shape: [channels], seed: 60 + UInt64(index)).tensor())
            }
        }

        var children: [(name: String, layer: any Layer)] {
            [("conv1", conv1), ("bn1", norm1), ("conv2", conv2), ("bn2", norm2)]
        }

        func callAsFunction(_ input: Variable) -> Variable {
            norm2(conv2(norm1(conv1(input))))
        }
    }

    /// 20 random 6×6 RGB images in a shuffled loader of 3 whole batches of 6 per epoch.
    static func loader(images: Int = 20, batchSize: Int = 6) -> BatchLoader {
        var generator = SeededGenerator(seed: 7)
        let pixels = (0..<(images * 6 * 6 * 3)).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        let set = LabeledImageSet(height: 6, width: 6, channels: 3, pixels: pixels,
                                  labels: (0..<images).map { Int32($0 % 2) }, classNames: ["a", "b"])
        return BatchLoader(set: set, batchSize: batchSize, shuffle: true, dropLast: true, augmentation: .none,
                           statistics: ChannelStatistics(mean: [0.5, 0.4, 0.3], deviation: [0.25, 0.2, 0.3]),
                           seed: 3, workers: 0)
    }

    /// The first `count` batches of `loader`, epoch after epoch, as Float64 NCHW tensors.
    static func batches(_ count: Int, of loader: BatchLoader) throws -> [ReferenceTensor] {
        var result: [ReferenceTensor] = []
        var epoch = 0
        while result.count < count {
            var stream = loader.stream(epoch: epoch, startingAt: 0)
            while result.count < count, let batch = try stream.next() {
                result.append(ReferenceTensor(shape: [batch.count, batch.channels, batch.height, batch.width],
                                              values: batch.pixels.map(Double.init)))
            }
            epoch += 1
        }
        return result
    }

    /// Each norm's mean over `batches` of the batch means and unbiased variances, computed in Float64.
    static func expectedStatistics(_ model: ConvNormModel, batches: [ReferenceTensor])
        -> [(mean: [Double], variance: [Double])] {
        let weight1 = ReferenceTensor(model.conv1.weight.value)
        let weight2 = ReferenceTensor(model.conv2.weight.value)
        var sums = [([Double](repeating: 0, count: 4), [Double](repeating: 0, count: 4)),
                    ([Double](repeating: 0, count: 5), [Double](repeating: 0, count: 5))]
        for input in batches {
            var activation = Reference.conv2d(input: input, weight: weight1, geometry: model.conv1.geometry)
            for (index, norm) in [model.norm1, model.norm2].enumerated() {
                if index == 1 {
                    activation = Reference.conv2d(input: activation, weight: weight2, geometry: model.conv2.geometry)
                }
                let count = Double(activation.elementCount / activation.shape[1])
                let result = Reference.batchNormTraining(input: activation, scale: ReferenceTensor(norm.weight.value),
                                                         shift: ReferenceTensor(norm.bias.value),
                                                         epsilon: Double(norm.epsilon))
                for channel in result.mean.values.indices {
                    sums[index].0[channel] += result.mean.values[channel]
                    sums[index].1[channel] += result.biasedVariance.values[channel] * count / (count - 1)
                }
                activation = index == 0 ? Reference.relu(result.output) : result.output
            }
        }
        let total = Double(batches.count)
        return sums.map { ($0.0.map { $0 / total }, $0.1.map { $0 / total }) }
    }

    @Test func recalibratedStatisticsAreTheFloat64AverageOfTheBatchStatistics() throws {
        _ = trainingBackend
        let model = ConvNormModel()
        let loader = Self.loader()
        // Earlier training left momentum-averaged statistics and a batch count; recalibration must start afresh.
        try withoutGradients {
            var stream = loader.stream(epoch: 7, startingAt: 0)
            while let batch = try stream.next() {
                _ = model(Variable(Tensor(shape: [batch.count, 3, 6, 6], scalars: batch.pixels)))
            }
        }
        model.setTraining(false)
        let parametersBefore = model.namedParameters().map { $0.parameter.value.scalars }

        let report = try BatchNormRecalibration(batches: 5).apply(to: model, loader: loader)

        #expect(report == BatchNormRecalibration.Report(batches: 5, images: 30, layers: 2))
        let expected = Self.expectedStatistics(model, batches: try Self.batches(5, of: loader))
        for (norm, statistics) in zip([model.norm1, model.norm2], expected) {
            let mean = norm.runningMean.tensor.scalars.map(Double.init)
            let variance = norm.runningVariance.tensor.scalars.map(Double.init)
            for channel in mean.indices {
                #expect(abs(mean[channel] - statistics.mean[channel]) <= 1e-5 * max(1, abs(statistics.mean[channel])),
                        "mean of channel \(channel): \(mean[channel]) vs \(statistics.mean[channel])")
                #expect(abs(variance[channel] - statistics.variance[channel])
                            <= 1e-5 * max(1, abs(statistics.variance[channel])),
                        "variance of channel \(channel): \(variance[channel]) vs \(statistics.variance[channel])")
            }
            guard case .count(let batches) = norm.batchesTracked.value else {
                Issue.record("num_batches_tracked is not a counter")
                continue
            }
            #expect(batches == 5)
        }
        #expect(model.namedParameters().map { $0.parameter.value.scalars } == parametersBefore)
        #expect(!model.isTraining && !model.norm1.isTraining && !model.norm2.isTraining)
        #expect(!model.norm1.averagesCumulatively && !model.norm2.averagesCumulatively)
    }

    /// Every buffer's values, counters as one-element arrays.
    static func bufferValues(_ model: some Layer) -> [[Float]] {
        model.namedBuffers().map { entry in
            switch entry.buffer.value {
            case .tensor(let tensor): tensor.scalars
            case .count(let count): [Float(count)]
            }
        }
    }

    @Test func aSnapshotPutsBackTheStatisticsARecalibrationReplaced() throws {
        _ = trainingBackend
        let model = ConvNormModel()
        let before = Self.bufferValues(model)
        let snapshot = BatchNormSnapshot(of: model)
        try BatchNormRecalibration(batches: 2).apply(to: model, loader: Self.loader())
        #expect(Self.bufferValues(model) != before)
        snapshot.restore()
        #expect(snapshot.count == 2)
        #expect(Self.bufferValues(model) == before)
    }

    @Test func impossibleRecalibrationsAreErrorsThatSayWhy() throws {
        _ = trainingBackend
        #expect(throws: BatchNormRecalibrationError.batchCountNotPositive(0)) {
            _ = try BatchNormRecalibration(batches: 0)
        }
        #expect(throws: BatchNormRecalibrationError.noFullBatch) {
            try BatchNormRecalibration(batches: 1).apply(to: ConvNormModel(), loader: Self.loader(images: 5))
        }
        final class GroupNormModel: Classifier {
            let norm = GroupNorm2D(groups: 1, channels: 3)
            var isTraining = true
            var children: [(name: String, layer: any Layer)] { [("gn", norm)] }
            func callAsFunction(_ input: Variable) -> Variable { norm(input) }
        }
        #expect(throws: BatchNormRecalibrationError.noBatchNorm) {
            try BatchNormRecalibration(batches: 1).apply(to: GroupNormModel(), loader: Self.loader())
        }
        #expect(BatchNormRecalibrationError.noFullBatch.description.contains("data.batch_size"))
    }
}
