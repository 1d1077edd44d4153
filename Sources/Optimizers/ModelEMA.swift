import Foundation
import Layers
import TensorCore

/// An exponential moving average of a model's weights and running statistics, kept in a second model of the same build.
///
/// After every `every`-th optimizer step, every floating-point tensor of the state
/// dictionary, parameters and buffers alike, moves towards the trained model's:
/// ema ← d·ema + (1 − d)·model, matched by dotted path (timm's `ModelEmaV3` averages
/// the whole state dictionary the same way); counters such as `num_batches_tracked`
/// are copied. The decay of the n-th update follows `ModelEmaV3.get_decay(step: n)` as
/// timm's train script calls it: 0 for the first (the average becomes the model, as
/// torchvision's `AveragedModel` also does), then `decay`, or with warm-up
/// min(decay, 1 − (1 + t)^(−2/3)) where t = n − 1 (timm's γ = 1, power 2/3). The
/// average lives in `average`, a model the caller built like the trained one, so it
/// evaluates and checkpoints like any model.
public final class ModelEMA {
    /// The decay d in [0, 1) once warm-up is over.
    public let decay: Double
    /// Whether the decay ramps up with the number of updates.
    public let warmup: Bool
    /// Updates after every this many optimizer steps.
    public let every: Int
    /// The averaged model: the same architecture as the trained one, holding the average.
    public let average: any Layer
    /// Updates applied so far (what the warm-up counts; checkpoints keep it).
    public private(set) var updateCount = 0
    private let parameters: [(path: String, average: Parameter)]
    private let buffers: [(path: String, average: Buffer)]

    /// Starts the average at `model`'s current weights, copied into `average` (a model built exactly like it).
    public init(model: some Layer, average: some Layer, decay: Double, warmup: Bool = false, every: Int = 1) {
        precondition(decay >= 0 && decay < 1, "an EMA decay is in [0, 1)")
        precondition(every >= 1, "an EMA updates after every one or more steps")
        self.decay = decay
        self.warmup = warmup
        self.every = every
        self.average = average
        parameters = average.namedParameters().map { ($0.path, $0.parameter) }
        buffers = average.namedBuffers().map { ($0.path, $0.buffer) }
        precondition(parameters.map(\.path) == model.namedParameters().map(\.path)
                     && buffers.map(\.path) == model.namedBuffers().map(\.path),
                     "the EMA's model must have the trained model's parameters and buffers")
        apply(from: model, decay: 0)
    }

    /// The decay of the `update`-th update (counted from 1).
    public func decay(forUpdate update: Int) -> Double {
        let sinceFirst = update - 1
        guard sinceFirst > 0 else { return 0 }
        guard warmup else { return decay }
        return min(decay, max(0, 1 - pow(1 + Double(sinceFirst), -2.0 / 3.0)))
    }

    /// Moves the average towards `model` when `step` (optimizer steps taken so far) is a multiple of `every`.
    ///
    /// Returns whether it updated.
    @discardableResult
    public func update(from model: some Layer, afterStep step: Int) -> Bool {
        guard step % every == 0 else { return false }
        updateCount += 1
        apply(from: model, decay: decay(forUpdate: updateCount))
        return true
    }

    /// Sets the update count of a restored average (its weights are loaded into `average` by the caller).
    public func restore(updateCount: Int) {
        precondition(updateCount >= 0, "an update count is not negative")
        self.updateCount = updateCount
    }

    /// ema ← d·ema + (1 − d)·model for every tensor (computed in Float64, stored as f32); counters copied.
    private func apply(from model: some Layer, decay: Double) {
        let keep = decay
        let take = 1 - decay
        for ((_, average), (_, source)) in zip(parameters, model.namedParameters()) {
            let count = average.shape.elementCount
            let averageValues = average.value.storage.buffer(as: Float.self, count: count)
            let sourceValues = source.value.storage.buffer(as: Float.self, count: count)
            if keep == 0 {
                _ = averageValues.update(fromContentsOf: sourceValues)
                continue
            }
            for index in 0..<count {
                averageValues[index] = Float(keep * Double(averageValues[index]) + take * Double(sourceValues[index]))
            }
        }
        for ((path, average), (_, source)) in zip(buffers, model.namedBuffers()) {
            switch (average.value, source.value) {
            case let (.tensor(current), .tensor(incoming)):
                let previous = Self.plainScalars(current)
                let latest = Self.plainScalars(incoming)
                precondition(previous.count == latest.count, "\(path): the EMA's buffer has another size")
                let mixed = keep == 0
                    ? latest : zip(previous, latest).map { Float(keep * Double($0) + take * Double($1)) }
                average.value = .tensor(Tensor(shape: incoming.shape, scalars: mixed))
            case (.count, .count(let count)):
                average.value = .count(count)
            default:
                preconditionFailure("\(path): a tensor buffer in one model is a counter in the other")
            }
        }
    }

    /// A buffer's values as plain f32 (running statistics may sit in a backend's layout or type).
    private static func plainScalars(_ tensor: Tensor) -> [Float] {
        guard tensor.format.isPlain && tensor.dtype == .float32 else {
            let backend = Compute.backend
            return backend.convert(backend.reorder(tensor, to: .plain), to: .float32).scalars
        }
        return tensor.scalars
    }
}
