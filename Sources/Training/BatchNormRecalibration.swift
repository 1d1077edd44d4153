import Autodiff
import DataPipeline
import Layers
import Recipes
import TensorCore

/// Re-estimates every batch norm's running mean and variance on a number of batches, no weight changing.
///
/// Shapes: the loader's batches are NCHW images, normally training images at the
/// resolution about to be tested (FixRes' train-test resolution effect). Every batch
/// norm is reset to mean 0, variance 1 and no batches, then takes the plain average
/// of the batches' means and unbiased variances (PyTorch's `momentum=None`) over
/// exactly `batches` batches, the loader's epochs following one another when one
/// epoch holds fewer. Only the batch norms run in training mode: dropout and drop
/// path stay off, so the statistics are those of the activations evaluation will
/// see (`torch.optim.swa_utils.update_bn` switches the whole model to training mode
/// instead). Nothing is differentiated and no parameter changes. Public so that a
/// pipeline stage can recalibrate a model it goes on to save.
public struct BatchNormRecalibration: Sendable, Equatable {
    /// What one recalibration measured.
    public struct Report: Sendable, Equatable {
        /// Batches averaged into every batch norm.
        public var batches: Int
        /// Images in those batches.
        public var images: Int
        /// Batch norm layers recalibrated.
        public var layers: Int

        public init(batches: Int, images: Int, layers: Int) {
            self.batches = batches
            self.images = images
            self.layers = layers
        }
    }

    /// Batches to average over.
    public let batches: Int
    /// Whether the forward passes run in bf16, as training did (its `computeType`: f32 without bfloat16 kernels).
    public let precision: Recipe.Run.Precision

    public init(batches: Int, precision: Recipe.Run.Precision = .f32) throws(BatchNormRecalibrationError) {
        guard batches > 0 else { throw .batchCountNotPositive(batches) }
        self.batches = batches
        self.precision = precision
    }

    /// Replaces `model`'s running statistics by their average over `batches` batches of `loader`.
    ///
    /// The model's modes and averaging settings are as before afterwards; when a batch
    /// fails to load, its running statistics are too.
    @discardableResult
    public func apply(to model: some Classifier, loader: any EpochBatchSource) throws -> Report {
        let norms = model.batchNorms
        guard !norms.isEmpty else { throw BatchNormRecalibrationError.noBatchNorm }
        guard loader.batchesPerEpoch > 0 else { throw BatchNormRecalibrationError.noFullBatch }
        let snapshot = BatchNormSnapshot(of: model)
        let modes = model.namedLayers().compactMap { $0.layer as? any ModeDependentLayer }.map { ($0, $0.isTraining) }
        let averaging = norms.map(\.averagesCumulatively)
        defer {
            for (layer, wasTraining) in modes { layer.isTraining = wasTraining }
            for (norm, cumulative) in zip(norms, averaging) { norm.averagesCumulatively = cumulative }
        }
        model.setTraining(false)
        for norm in norms {
            norm.isTraining = true
            norm.averagesCumulatively = true
            norm.resetRunningStatistics()
        }
        var images = 0
        do {
            try withoutGradients {
                var epoch = 0
                var stream = loader.stream(epoch: epoch, startingAt: 0)
                var seen = 0
                while seen < batches {
                    guard let batch = try stream.next() else {
                        epoch += 1
                        stream = loader.stream(epoch: epoch, startingAt: 0)
                        continue
                    }
                    let pixels = Tensor(shape: [batch.count, batch.channels, batch.height, batch.width],
                                        scalars: batch.pixels)
                    _ = model(convert(Variable(pixels), to: precision.computeType))
                    seen += 1
                    images += batch.count
                }
            }
        } catch {
            snapshot.restore()
            throw error
        }
        return Report(batches: batches, images: images, layers: norms.count)
    }
}

/// Why batch norms cannot be recalibrated as asked; each case says what was expected.
public enum BatchNormRecalibrationError: Error, CustomStringConvertible, Equatable, Sendable {
    case batchCountNotPositive(Int)
    case noBatchNorm
    case noFullBatch

    public var description: String {
        switch self {
        case .batchCountNotPositive(let count):
            "batch-norm recalibration needs a positive number of batches, not \(count)"
        case .noBatchNorm:
            "the model has no batch norm to recalibrate (model.norm: group has no running statistics)"
        case .noFullBatch:
            "the training set holds fewer images than one batch (data.batch_size), so there is nothing to recalibrate on"
        }
    }
}
