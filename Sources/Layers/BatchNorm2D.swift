import Autodiff
import TensorCore

/// Batch normalisation over N, H, W per channel, as `nn.BatchNorm2d`, optionally with a fused ReLU.
///
/// Training: normalises with the batch's statistics and updates the running
/// statistics with `momentum` (PyTorch's convention: new = (1 − m)·old + m·batch,
/// with the unbiased batch variance) and counts batches; with `averagesCumulatively`
/// the running statistics are instead the plain mean over every batch since the last
/// reset (PyTorch's `momentum=None`), which batch-norm recalibration uses. Evaluation:
/// uses the running statistics. Fusing the following ReLU saves a pass over the activation.
/// With `replicas` set, training normalises with the statistics of the global batch
/// across data-parallel replicas (SyncBN) and the running statistics follow them.
public final class BatchNorm2D: ModeDependentLayer {
    public let weight: Parameter
    public let bias: Parameter
    public let runningMean: Buffer
    public let runningVariance: Buffer
    public let batchesTracked: Buffer
    public let epsilon: Float
    public let momentum: Float
    public let fuseReLU: Bool
    public var isTraining = true
    /// Whether training updates average every batch equally (factor 1 / batches tracked) instead of by `momentum`.
    public var averagesCumulatively = false
    /// The data-parallel replicas whose batches this layer normalises over together (SyncBN); nil for this batch alone.
    public var replicas: (any CrossReplicaSum)?

    public init(channels: Int, epsilon: Float = 1e-5, momentum: Float = 0.1, fuseReLU: Bool = false,
                zeroInitialScale: Bool = false) {
        weight = Parameter(name: "weight", value: Tensor(repeating: zeroInitialScale ? 0 : 1, shape: [channels]),
                           kind: .normScale)
        bias = Parameter(name: "bias", value: Tensor(zeros: [channels]), kind: .normShift)
        runningMean = Buffer(name: "running_mean", value: .tensor(Tensor(zeros: [channels])))
        runningVariance = Buffer(name: "running_var", value: .tensor(Tensor(repeating: 1, shape: [channels])))
        batchesTracked = Buffer(name: "num_batches_tracked", value: .count(0))
        self.epsilon = epsilon
        self.momentum = momentum
        self.fuseReLU = fuseReLU
    }

    public var parameters: [Parameter] { [weight, bias] }
    public var buffers: [Buffer] { [runningMean, runningVariance, batchesTracked] }

    public func callAsFunction(_ input: Variable) -> Variable {
        guard isTraining else {
            return batchNormInference(input, scale: weight.variable, shift: bias.variable,
                                      mean: runningMean.tensor, variance: runningVariance.tensor,
                                      epsilon: epsilon, fuseReLU: fuseReLU)
        }
        if let replicas {
            let (output, mean, variance, count) = syncBatchNormTraining(input, scale: weight.variable, shift: bias.variable,
                                                                        epsilon: epsilon, fuseReLU: fuseReLU,
                                                                        replicas: replicas)
            updateRunningStatistics(batchMean: mean, batchVariance: variance, count: count)
            return output
        }
        let (output, mean, variance) = batchNormTraining(input, scale: weight.variable, shift: bias.variable,
                                                         epsilon: epsilon, fuseReLU: fuseReLU)
        updateRunningStatistics(batchMean: mean, batchVariance: variance,
                                count: input.shape.elementCount / input.shape[1])
        return output
    }

    /// Puts the running statistics back to their initial mean 0, variance 1 and no batches, as `reset_running_stats`.
    public func resetRunningStatistics() {
        let channels = weight.shape[0]
        runningMean.tensor = Tensor(zeros: [channels])
        runningVariance.tensor = Tensor(repeating: 1, shape: [channels])
        batchesTracked.value = .count(0)
    }

    /// Moves the running statistics toward the batch's; `batchVariance` is biased and corrected here by n / (n − 1).
    func updateRunningStatistics(batchMean: Tensor, batchVariance: Tensor, count: Int) {
        let correction = count > 1 ? Float(count) / Float(count - 1) : 1
        let oldMean = runningMean.tensor.scalars
        let oldVariance = runningVariance.tensor.scalars
        let mean = batchMean.scalars
        let variance = batchVariance.scalars
        var tracked: Int64 = 0
        if case .count(let batches) = batchesTracked.value { tracked = batches + 1 }
        let factor = averagesCumulatively ? 1 / Float(max(tracked, 1)) : momentum
        let keep = 1 - factor
        runningMean.tensor = Tensor(shape: batchMean.shape,
                                    scalars: zip(oldMean, mean).map { keep * $0 + factor * $1 })
        runningVariance.tensor = Tensor(shape: batchVariance.shape,
                                        scalars: zip(oldVariance, variance).map { keep * $0 + factor * $1 * correction })
        if case .count = batchesTracked.value { batchesTracked.value = .count(tracked) }
    }
}
