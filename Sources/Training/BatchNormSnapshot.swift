import Layers
import TensorCore

/// Every batch norm's running mean, variance and batch counter in a model at one moment, to be put back later.
///
/// Shapes: one [C] mean and one [C] variance per `BatchNorm2D`, copied. Why: an
/// evaluation after batch-norm recalibration must leave the model as it was loaded,
/// so that the next resolution of a sweep, or a checkpoint written later, sees the
/// trained statistics and not the ones measured for one test size.
public struct BatchNormSnapshot {
    struct Saved {
        let norm: BatchNorm2D
        let mean: Tensor
        let variance: Tensor
        let batchesTracked: Buffer.Value
    }

    let saved: [Saved]

    /// Copies the statistics of every batch norm in `model`'s tree.
    public init(of model: some Layer) {
        saved = model.batchNorms.map { norm in
            Saved(norm: norm, mean: Self.copy(norm.runningMean.tensor), variance: Self.copy(norm.runningVariance.tensor),
                  batchesTracked: norm.batchesTracked.value)
        }
    }

    /// How many batch norms the snapshot holds.
    public var count: Int { saved.count }

    /// Writes the copied statistics back into the batch norms they came from.
    public func restore() {
        for entry in saved {
            entry.norm.runningMean.tensor = Self.copy(entry.mean)
            entry.norm.runningVariance.tensor = Self.copy(entry.variance)
            entry.norm.batchesTracked.value = entry.batchesTracked
        }
    }

    private static func copy(_ tensor: Tensor) -> Tensor {
        Tensor(shape: tensor.shape, scalars: tensor.scalars)
    }
}

extension Layer {
    /// Every `BatchNorm2D` in the tree, in declaration order.
    public var batchNorms: [BatchNorm2D] {
        namedLayers().compactMap { $0.layer as? BatchNorm2D }
    }
}
