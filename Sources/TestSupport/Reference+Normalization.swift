extension Reference {
    /// The result of a training-mode batch normalization: the output and the batch statistics it used.
    ///
    /// Shapes: `output` as the input, `mean` and `biasedVariance` [C]. The variance is the
    /// biased one (divided by the count), the one the normalization divides by; the running
    /// statistics take the unbiased one instead (see `updatedRunningStatistics`).
    public struct BatchNormTrainingOutput: Hashable, Sendable {
        public var output: ReferenceTensor
        public var mean: ReferenceTensor
        public var biasedVariance: ReferenceTensor

        public init(output: ReferenceTensor, mean: ReferenceTensor, biasedVariance: ReferenceTensor) {
            self.output = output
            self.mean = mean
            self.biasedVariance = biasedVariance
        }
    }

    /// Training-mode batch normalization, PyTorch's `F.batch_norm(training=True)`.
    ///
    /// Shapes: `input` [N, C, ...] (NCHW, or NC for features), `scale` and `shift` [C] or nil
    /// (nil means 1 and 0). Per channel, over the N·H·W elements:
    /// `y = (x − mean) / √(biasedVariance + epsilon) · scale + shift`.
    ///
    /// Returns the statistics too, because the kernel's saved mean and variance are what its
    /// backward pass reads and what the running statistics are updated from.
    public static func batchNormTraining(input: ReferenceTensor, scale: ReferenceTensor?, shift: ReferenceTensor?,
                                         epsilon: Double) -> BatchNormTrainingOutput {
        let layout = ChannelLayout(shape: input.shape)
        let count = Double(layout.batch * layout.spatial)
        var mean = ReferenceTensor(zeros: [layout.channels])
        var variance = ReferenceTensor(zeros: [layout.channels])
        for channel in 0..<layout.channels {
            var total = 0.0
            layout.forEachIndex(channel: channel) { total += input.values[$0] }
            let channelMean = total / count
            var squares = 0.0
            layout.forEachIndex(channel: channel) { index in
                let deviation = input.values[index] - channelMean
                squares += deviation * deviation
            }
            mean.values[channel] = channelMean
            variance.values[channel] = squares / count
        }
        let output = batchNormInference(input: input, scale: scale, shift: shift, mean: mean, variance: variance,
                                        epsilon: epsilon)
        return BatchNormTrainingOutput(output: output, mean: mean, biasedVariance: variance)
    }

    /// Inference-mode batch normalization with given statistics, PyTorch's `F.batch_norm(training=False)`.
    ///
    /// Shapes: `input` [N, C, ...], `scale`, `shift`, `mean`, `variance` [C] (nil scale and
    /// shift mean 1 and 0). `y = (x − mean[c]) / √(variance[c] + epsilon) · scale[c] + shift[c]`.
    public static func batchNormInference(input: ReferenceTensor, scale: ReferenceTensor?, shift: ReferenceTensor?,
                                          mean: ReferenceTensor, variance: ReferenceTensor,
                                          epsilon: Double) -> ReferenceTensor {
        let layout = ChannelLayout(shape: input.shape)
        for statistic in [scale, shift, mean, variance].compactMap({ $0 }) {
            precondition(statistic.shape == [layout.channels],
                         "per-channel value \(statistic.shape) for \(layout.channels) channels")
        }
        var output = ReferenceTensor(zeros: input.shape)
        for channel in 0..<layout.channels {
            let inverseDeviation = 1 / (variance.values[channel] + epsilon).squareRoot()
            let channelScale = scale?.values[channel] ?? 1
            let channelShift = shift?.values[channel] ?? 0
            layout.forEachIndex(channel: channel) { index in
                output.values[index] = (input.values[index] - mean.values[channel]) * inverseDeviation * channelScale
                    + channelShift
            }
        }
        return output
    }

    /// The running mean and variance after one training step, as PyTorch's batch norm updates them.
    ///
    /// Shapes: every tensor [C]; `count` is the number of elements per channel (N·H·W).
    /// `new = (1 − momentum)·old + momentum·batch`, where the batch variance is the unbiased
    /// one, `biasedVariance · count / (count − 1)`: PyTorch normalizes with the biased
    /// variance but tracks the unbiased one, and a checkpoint must carry the same numbers.
    public static func updatedRunningStatistics(runningMean: ReferenceTensor, runningVariance: ReferenceTensor,
                                                batchMean: ReferenceTensor, batchBiasedVariance: ReferenceTensor,
                                                count: Int, momentum: Double)
        -> (mean: ReferenceTensor, variance: ReferenceTensor) {
        precondition(count > 1, "batch norm needs more than one value per channel when training, as in PyTorch")
        let correction = Double(count) / Double(count - 1)
        var mean = runningMean
        var variance = runningVariance
        for channel in 0..<runningMean.elementCount {
            mean.values[channel] = (1 - momentum) * runningMean.values[channel] + momentum * batchMean.values[channel]
            variance.values[channel] = (1 - momentum) * runningVariance.values[channel]
                + momentum * batchBiasedVariance.values[channel] * correction
        }
        return (mean, variance)
    }

    /// Group normalization, PyTorch's `nn.GroupNorm`.
    ///
    /// Shapes: `input` [N, C, ...], `scale` and `shift` [C] or nil (nil means 1 and 0);
    /// `groups` divides C. For each sample and each run of C / groups consecutive channels,
    /// mean and biased variance are taken over those channels' spatial elements, then
    /// `y = (x − mean) / √(variance + epsilon) · scale[c] + shift[c]` with a per-channel affine.
    public static func groupNorm(input: ReferenceTensor, groups: Int, scale: ReferenceTensor?, shift: ReferenceTensor?,
                                 epsilon: Double) -> ReferenceTensor {
        let layout = ChannelLayout(shape: input.shape)
        precondition(groups > 0 && layout.channels % groups == 0, "\(layout.channels) channels in \(groups) groups")
        let groupChannels = layout.channels / groups
        let groupSize = groupChannels * layout.spatial
        let count = Double(groupSize)
        var output = ReferenceTensor(zeros: input.shape)
        for sample in 0..<layout.batch {
            for group in 0..<groups {
                let start = (sample * layout.channels + group * groupChannels) * layout.spatial
                let elements = start..<(start + groupSize)
                let mean = elements.reduce(0.0) { $0 + input.values[$1] } / count
                let variance = elements.reduce(0.0) {
                    $0 + (input.values[$1] - mean) * (input.values[$1] - mean)
                } / count
                let inverseDeviation = 1 / (variance + epsilon).squareRoot()
                for index in elements {
                    let channel = group * groupChannels + (index - start) / layout.spatial
                    output.values[index] = (input.values[index] - mean) * inverseDeviation * (scale?.values[channel] ?? 1)
                        + (shift?.values[channel] ?? 0)
                }
            }
        }
        return output
    }
}
