import Dispatch
import TensorCore

/// Batch normalisation with the statistics of the global batch across data-parallel replicas (SyncBN), optionally with a ReLU.
///
/// Shapes: input NCHW (this replica's share of the batch); scale, shift float32 [C].
/// Returns the output, the global batch's mean and biased variance (float32 [C]) and
/// the global count of values per channel, from which the layer updates its running
/// statistics with the unbiased correction, as `nn.SyncBatchNorm` does.
///
/// Forward: each replica sums x and x² per channel (`ChannelSums`: centred, so E[x²] − E[x]² keeps
/// its digits), one `sumAcrossReplicas` gives the global sums, and oneDNN normalises
/// with the global mean and variance. Backward: oneDNN's batch-norm backward with
/// those statistics held constant gives γ/σ·dy and this replica's Σdy·x̂ and Σdy; one
/// more `sumAcrossReplicas` of those two gives the global sums Gs, Gb and
///     dx = γ/σ · (dy − (Gb + x̂·Gs) / N),
/// N the global count: exactly batch norm's gradient over the whole batch. The scale
/// and shift gradients returned are this replica's sums; averaging the gradients
/// over the replicas (×1/R, with each replica's loss a mean over its share) makes them
/// the global batch's, as in PyTorch.
public func syncBatchNormTraining(_ input: Variable, scale: Variable, shift: Variable, epsilon: Float,
                                  fuseReLU: Bool = false, replicas: any CrossReplicaSum)
    -> (output: Variable, mean: Tensor, variance: Tensor, count: Int) {
    let backend = Compute.backend
    let shape = input.shape
    precondition(shape.rank == 4, "SyncBN normalises NCHW tensors, got \(shape)")
    let channels = shape[1]
    let local = ChannelSums(of: input.value)
    var sums = local.sum + local.sumOfSquares + [Double(local.count)]
    replicas.sumAcrossReplicas(&sums)
    let count = Int(sums[2 * channels].rounded())
    precondition(count > 0, "SyncBN over an empty global batch")
    var mean = [Float](repeating: 0, count: channels)
    var variance = [Float](repeating: 0, count: channels)
    for channel in 0..<channels {
        let average = sums[channel] / Double(count)
        mean[channel] = Float(average)
        variance[channel] = Float(max(sums[channels + channel] / Double(count) - average * average, 0))
    }
    let meanTensor = Tensor(shape: [channels], scalars: mean)
    let varianceTensor = Tensor(shape: [channels], scalars: variance)
    let normalizedValue = backend.batchNormInferenceForward(input: input.value, scale: scale.value, shift: shift.value,
                                                            mean: meanTensor, variance: varianceTensor,
                                                            epsilon: epsilon, fuseReLU: false)
    let saved = BatchNormSavedStatistics(mean: meanTensor, variance: varianceTensor, workspace: nil)
    let normalized = Variable.result(normalizedValue, inputs: [input, scale, shift]) { gradient in
        let gradients = backend.batchNormBackward(gradientOfOutput: gradient, input: input.value, scale: scale.value,
                                                  shift: shift.value, saved: saved, epsilon: epsilon, fuseReLU: false,
                                                  useGlobalStatistics: true)
        let scaleGradient = gradients.scale.scalars
        let shiftGradient = gradients.shift.scalars
        var global = scaleGradient.map(Double.init) + shiftGradient.map(Double.init)
        replicas.sumAcrossReplicas(&global)
        guard input.requiresGradient else {
            return [nil, scale.requiresGradient ? gradients.scale : nil, shift.requiresGradient ? gradients.shift : nil]
        }
        // dx = γσ⁻¹·dy + a_c + b_c·x with b_c = −γσ⁻²·Gs/N and a_c = −γσ⁻¹·Gb/N − b_c·μ.
        let gamma = scale.value.scalars
        var offsets = [Float](repeating: 0, count: channels)
        var slopes = [Float](repeating: 0, count: channels)
        for channel in 0..<channels {
            let inverseDeviation = 1 / (Double(variance[channel]) + Double(epsilon)).squareRoot()
            let slope = -Double(gamma[channel]) * inverseDeviation * inverseDeviation * global[channel] / Double(count)
            slopes[channel] = Float(slope)
            offsets[channel] = Float(-Double(gamma[channel]) * inverseDeviation * global[channels + channel]
                                     / Double(count) - slope * Double(mean[channel]))
        }
        let inputGradient = addingChannelAffine(of: input.value, slopes: slopes, offsets: offsets,
                                                to: gradients.input)
        return [inputGradient, scale.requiresGradient ? gradients.scale : nil,
                shift.requiresGradient ? gradients.shift : nil]
    }
    return (fuseReLU ? relu(normalized) : normalized, meanTensor, varianceTensor, count)
}

/// Per-channel sums of x and x² over N, H and W of an NCHW tensor, in Double, and the values per channel.
///
/// Both sums are formed from x − s, s this replica's channel mean from a first pass,
/// not from x directly: Float partial sums of x and x² round at 1e-7 of Σx and Σx², and
/// E[x²] − E[x]² multiplies that by mean²/variance.
struct ChannelSums {
    let sum: [Double]
    let sumOfSquares: [Double]
    let count: Int

    init(of tensor: Tensor) {
        let plain = Compute.backend.convert(Compute.backend.reorder(tensor, to: .plain), to: .float32)
        let (batch, channels) = (tensor.shape[0], tensor.shape[1])
        let plane = tensor.shape[2] * tensor.shape[3]
        let count = batch * plane
        nonisolated(unsafe) let values = plain.storage.buffer(as: Float.self, count: plain.elementCount)
        var sum = [Double](repeating: 0, count: channels)
        var squares = [Double](repeating: 0, count: channels)
        sum.withUnsafeMutableBufferPointer { sumOut in
            squares.withUnsafeMutableBufferPointer { squaresOut in
                nonisolated(unsafe) let sumBase = sumOut.baseAddress!
                nonisolated(unsafe) let squaresBase = squaresOut.baseAddress!
                DispatchQueue.concurrentPerform(iterations: channels) { channel in
                    func planeStart(_ sample: Int) -> UnsafeMutablePointer<Float> {
                        values.baseAddress! + (sample * channels + channel) * plane
                    }
                    // Float partial sums over a plane are exact enough; Double across planes keeps the digits.
                    var total = 0.0
                    for sample in 0..<batch {
                        let start = planeStart(sample)
                        var planeSum: Float = 0
                        for index in 0..<plane { planeSum += start[index] }
                        total += Double(planeSum)
                    }
                    let mean = count == 0 ? 0 : total / Double(count)
                    let shift = Float(mean)
                    var centredSquares = 0.0
                    var centredSum = 0.0
                    for sample in 0..<batch {
                        let start = planeStart(sample)
                        var planeSquares: Float = 0
                        var planeSum: Float = 0
                        for index in 0..<plane {
                            let centred = start[index] - shift
                            planeSquares += centred * centred
                            planeSum += centred
                        }
                        centredSquares += Double(planeSquares)
                        centredSum += Double(planeSum)
                    }
                    // With s the Float-rounded first-pass mean: Σx = ns + Σ(x − s), Σx² = Σ(x − s)² + 2sΣ(x − s) + ns²,
                    // both exact in Double up to the small centred partial sums' own rounding.
                    let s = Double(shift)
                    sumBase[channel] = Double(count) * s + centredSum
                    squaresBase[channel] = centredSquares + 2 * s * centredSum + Double(count) * s * s
                }
            }
        }
        self.sum = sum
        sumOfSquares = squares
        self.count = count
    }
}

/// `base + offsets[c] + slopes[c]·x`, channel by channel, in `x`'s element type and plain layout.
private func addingChannelAffine(of input: Tensor, slopes: [Float], offsets: [Float], to base: Tensor) -> Tensor {
    let backend = Compute.backend
    let x = backend.convert(backend.reorder(input, to: .plain), to: .float32)
    let result = backend.convert(backend.reorder(base, to: .plain), to: .float32).copied()
    let (batch, channels) = (input.shape[0], input.shape[1])
    let plane = input.shape[2] * input.shape[3]
    nonisolated(unsafe) let xValues = x.storage.buffer(as: Float.self, count: x.elementCount)
    nonisolated(unsafe) let output = result.storage.buffer(as: Float.self, count: result.elementCount)
    DispatchQueue.concurrentPerform(iterations: batch * channels) { planeIndex in
        let channel = planeIndex % channels
        let (slope, offset) = (slopes[channel], offsets[channel])
        let start = planeIndex * plane
        for index in start..<(start + plane) {
            output[index] += offset + slope * xValues[index]
        }
    }
    return input.dtype == .float32 ? result : backend.convert(result, to: input.dtype)
}
