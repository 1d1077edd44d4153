import Dispatch
import TensorCore

/// Group normalisation (Wu & He): each sample's channels split into `groups`, normalised per group; optionally a fused ReLU.
///
/// Shapes: input NCHW with C divisible by `groups`; scale, shift float32 [C]. Uses
/// the biased variance, as `nn.GroupNorm`. Independent of the batch size, which is
/// why "Rethinking ImageNet Pre-training" uses it for small per-device batches.
///
/// oneDNN 2.6 has no group norm, so this runs in Swift on a plain float32 view of the
/// input (a copy only when the input is blocked or bf16), in parallel over
/// (sample, group) pairs. Each group is two passes to its mean and variance (the
/// second over deviations, so no cancellation), then one pass of `a·x + b` per
/// channel. Backward keeps only each group's mean and inverse deviation: per
/// channel plane it sums dy and dy·(x − μ), and writes dx = p·dy + q·x + o in one pass.
/// With `fuseReLU` the ReLU is applied in the same pass and its mask recomputed in
/// backward from `a·x + b`, saving the activation a separate ReLU would keep.
public func groupNorm(_ input: Variable, groups: Int, scale: Variable, shift: Variable, epsilon: Float,
                      fuseReLU: Bool = false) -> Variable {
    let shape = input.shape
    precondition(shape.rank == 4 && shape[1] % groups == 0, "group norm of \(shape) into \(groups) groups")
    let layout = GroupLayout(batch: shape[0], channels: shape[1], groups: groups, plane: shape[2] * shape[3])
    let values = plainFloat32(input.value)
    let gamma = scale.value.scalars
    let beta = shift.value.scalars
    let statistics = layout.statistics(of: values, epsilon: epsilon)
    let output = Tensor(zeros: shape)
    layout.normalize(values, statistics: statistics, gamma: gamma, beta: beta, fuseReLU: fuseReLU, into: output)
    let dtype = input.dtype
    let result = dtype == .float32 ? output : Compute.backend.convert(output, to: dtype)
    let needsGradient = (input: input.requiresGradient, scale: scale.requiresGradient, shift: shift.requiresGradient)
    return Variable.result(result, inputs: [input, scale, shift]) { gradient in
        let upstream = plainFloat32(gradient)
        let gradients = layout.backward(upstream, values: values, statistics: statistics, gamma: gamma, beta: beta,
                                        fuseReLU: fuseReLU, computesInput: needsGradient.input)
        return [gradients.input.map { dtype == .float32 ? $0 : Compute.backend.convert($0, to: dtype) },
                needsGradient.scale ? Tensor(shape: [layout.channels], scalars: gradients.scale) : nil,
                needsGradient.shift ? Tensor(shape: [layout.channels], scalars: gradients.shift) : nil]
    }
}

/// `tensor` as a plain float32 tensor: itself when it already is one, else a converted copy.
private func plainFloat32(_ tensor: Tensor) -> Tensor {
    if tensor.format.isPlain && tensor.dtype == .float32 { return tensor }
    return Compute.backend.convert(Compute.backend.reorder(tensor, to: .plain), to: .float32)
}

/// Where group norm's groups lie in a plain NCHW tensor, and the loops over them.
///
/// Group (n, g) is the `channelsPerGroup` consecutive planes of `plane` values that
/// start at plane `n·C + g·channelsPerGroup`, one contiguous run of memory.
private struct GroupLayout {
    let batch: Int
    let channels: Int
    let groups: Int
    let plane: Int

    var channelsPerGroup: Int { channels / groups }
    var groupSize: Int { channelsPerGroup * plane }

    /// Each group's mean and inverse deviation, indexed by n·groups + g.
    struct Statistics {
        var mean: [Float]
        var inverseDeviation: [Float]
    }

    func statistics(of tensor: Tensor, epsilon: Float) -> Statistics {
        nonisolated(unsafe) let values = UnsafePointer(tensor.storage.buffer(as: Float.self, count: tensor.elementCount)
            .baseAddress!)
        var mean = [Float](repeating: 0, count: batch * groups)
        var inverseDeviation = [Float](repeating: 0, count: batch * groups)
        mean.withUnsafeMutableBufferPointer { meanOut in
            inverseDeviation.withUnsafeMutableBufferPointer { deviationOut in
                nonisolated(unsafe) let (means, deviations) = (meanOut.baseAddress!, deviationOut.baseAddress!)
                DispatchQueue.concurrentPerform(iterations: batch * groups) { group in
                    let start = values + group * groupSize
                    var total = 0.0
                    for channel in 0..<channelsPerGroup { total += sum(start + channel * plane, count: plane) }
                    let average = Float(total / Double(groupSize))
                    var squares = 0.0
                    for channel in 0..<channelsPerGroup {
                        squares += sumOfSquaredDeviations(start + channel * plane, count: plane, from: average)
                    }
                    means[group] = average
                    deviations[group] = Float(1 / (squares / Double(groupSize) + Double(epsilon)).squareRoot())
                }
            }
        }
        return Statistics(mean: mean, inverseDeviation: inverseDeviation)
    }

    /// Writes `γ·(x − μ)·σ⁻¹ + β` (and its ReLU) into `output`, plane by plane.
    func normalize(_ input: Tensor, statistics: Statistics, gamma: [Float], beta: [Float], fuseReLU: Bool,
                   into output: Tensor) {
        nonisolated(unsafe) let values = UnsafePointer(input.storage.buffer(as: Float.self, count: input.elementCount)
            .baseAddress!)
        nonisolated(unsafe) let results = output.storage.buffer(as: Float.self, count: output.elementCount).baseAddress!
        forEachPlane(statistics: statistics, gamma: gamma, beta: beta) { start, slope, offset in
            let (source, target) = (values + start, results + start)
            if fuseReLU {
                for index in 0..<plane { target[index] = max(slope * source[index] + offset, 0) }
            } else {
                for index in 0..<plane { target[index] = slope * source[index] + offset }
            }
        }
    }

    /// Calls `body` with each channel plane's first index and its normalisation `a`, `b`, in parallel over groups.
    func forEachPlane(statistics: Statistics, gamma: [Float], beta: [Float],
                      _ body: @Sendable (_ start: Int, _ slope: Float, _ offset: Float) -> Void) {
        DispatchQueue.concurrentPerform(iterations: batch * groups) { group in
            for member in 0..<channelsPerGroup {
                let (slope, offset) = affine(group: group, channel: group % groups * channelsPerGroup + member,
                                             statistics: statistics, gamma: gamma, beta: beta)
                body(group * groupSize + member * plane, slope, offset)
            }
        }
    }

    /// The `a`, `b` of `a·x + b`, the normalisation of `channel` within `group`.
    func affine(group: Int, channel: Int, statistics: Statistics, gamma: [Float], beta: [Float]) -> (Float, Float) {
        let slope = gamma[channel] * statistics.inverseDeviation[group]
        return (slope, beta[channel] - statistics.mean[group] * slope)
    }

    /// The gradients of the input (when asked), scale and shift from the gradient of the output.
    ///
    /// With x̂ = (x − μ)·r, ĝ = γ·dy and M values per group:
    /// dx = r·(ĝ − Σĝ/M − x̂·Σĝx̂/M) = (γr)·dy + q·x + o with q = −r²·Σĝx̂/M and o = −r·Σĝ/M − q·μ;
    /// dγ = Σ dy·x̂ and dβ = Σ dy, summed over samples after the parallel loop.
    func backward(_ upstream: Tensor, values input: Tensor, statistics: Statistics, gamma: [Float], beta: [Float],
                  fuseReLU: Bool, computesInput: Bool) -> (input: Tensor?, scale: [Float], shift: [Float]) {
        nonisolated(unsafe) let values = UnsafePointer(input.storage.buffer(as: Float.self, count: input.elementCount)
            .baseAddress!)
        let masked = fuseReLU ? reluMasked(upstream, input: input, statistics: statistics, gamma: gamma, beta: beta)
                              : upstream
        nonisolated(unsafe) let dy = UnsafePointer(masked.storage.buffer(as: Float.self, count: masked.elementCount)
            .baseAddress!)
        let inputGradient = computesInput ? Tensor(zeros: upstream.shape) : nil
        nonisolated(unsafe) let dx = inputGradient?.storage.buffer(as: Float.self, count: upstream.elementCount)
            .baseAddress
        // Per sample and channel: Σ dy and Σ dy·x̂, reduced over samples afterwards.
        var planeSums = [Double](repeating: 0, count: 2 * batch * channels)
        planeSums.withUnsafeMutableBufferPointer { sums in
            nonisolated(unsafe) let sums = sums.baseAddress!
            DispatchQueue.concurrentPerform(iterations: batch * groups) { group in
                let (mean, r) = (statistics.mean[group], statistics.inverseDeviation[group])
                let sample = group / groups
                var gradientSum = 0.0
                var gradientHatSum = 0.0
                for member in 0..<channelsPerGroup {
                    let channel = group % groups * channelsPerGroup + member
                    let start = group * groupSize + member * plane
                    let dySum = sum(dy + start, count: plane)
                    let dyHatSum = centeredDot(dy + start, values + start, count: plane, center: mean) * Double(r)
                    sums[2 * (sample * channels + channel)] = dySum
                    sums[2 * (sample * channels + channel) + 1] = dyHatSum
                    gradientSum += Double(gamma[channel]) * dySum
                    gradientHatSum += Double(gamma[channel]) * dyHatSum
                }
                guard let dx else { return }
                let count = Double(groupSize)
                let q = Float(-Double(r) * Double(r) * gradientHatSum / count)
                let o = Float(-Double(r) * gradientSum / count) - q * mean
                for member in 0..<channelsPerGroup {
                    let p = gamma[group % groups * channelsPerGroup + member] * r
                    let start = group * groupSize + member * plane
                    let (source, gradientOut, x) = (dy + start, dx + start, values + start)
                    for index in 0..<plane { gradientOut[index] = p * source[index] + q * x[index] + o }
                }
            }
        }
        var scale = [Double](repeating: 0, count: channels)
        var shift = [Double](repeating: 0, count: channels)
        for sample in 0..<batch {
            for channel in 0..<channels {
                shift[channel] += planeSums[2 * (sample * channels + channel)]
                scale[channel] += planeSums[2 * (sample * channels + channel) + 1]
            }
        }
        return (inputGradient, scale.map(Float.init), shift.map(Float.init))
    }

    /// `upstream` zeroed where the fused ReLU's input `a·x + b` was not positive.
    func reluMasked(_ upstream: Tensor, input: Tensor, statistics: Statistics, gamma: [Float], beta: [Float]) -> Tensor {
        nonisolated(unsafe) let values = UnsafePointer(input.storage.buffer(as: Float.self, count: input.elementCount)
            .baseAddress!)
        let masked = upstream.copied()
        nonisolated(unsafe) let gradient = masked.storage.buffer(as: Float.self, count: masked.elementCount).baseAddress!
        forEachPlane(statistics: statistics, gamma: gamma, beta: beta) { start, slope, offset in
            let (x, g) = (values + start, gradient + start)
            for index in 0..<plane where slope * x[index] + offset <= 0 { g[index] = 0 }
        }
        return masked
    }
}

/// Σ f(i) for i in 0..<count, where `chunk(i)` gives f for the sixteen indices from i and `tail(i)` for one.
///
/// Sixteen Float lanes accumulate at most 256 values each before their sum is added
/// in Double, so the rounding error stays that of 16-term float sums however long the
/// plane: a bias gradient (a sum of terms that mostly cancel) keeps its digits.
@inline(__always)
private func accumulate(count: Int, chunk: (Int) -> SIMD16<Float>, tail: (Int) -> Float) -> Double {
    var total = 0.0
    var index = 0
    while index + 16 <= count {
        var lanes = SIMD16<Float>()
        let end = min(index + 256, count - count % 16)
        while index < end {
            lanes += chunk(index)
            index += 16
        }
        total += Double(lanes.sum())
    }
    var rest: Float = 0
    while index < count {
        rest += tail(index)
        index += 1
    }
    return total + Double(rest)
}

/// Σ values[0..<count].
private func sum(_ values: UnsafePointer<Float>, count: Int) -> Double {
    let raw = UnsafeRawPointer(values)
    return accumulate(count: count, chunk: { raw.loadUnaligned(fromByteOffset: $0 * 4, as: SIMD16<Float>.self) },
                      tail: { values[$0] })
}

/// Σ (values[i] − center)².
private func sumOfSquaredDeviations(_ values: UnsafePointer<Float>, count: Int, from center: Float) -> Double {
    let raw = UnsafeRawPointer(values)
    let centers = SIMD16<Float>(repeating: center)
    return accumulate(count: count, chunk: { index in
        let deviation = raw.loadUnaligned(fromByteOffset: index * 4, as: SIMD16<Float>.self) - centers
        return deviation * deviation
    }, tail: { index in
        let deviation = values[index] - center
        return deviation * deviation
    })
}

/// Σ a[i]·(b[i] − center).
private func centeredDot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int, center: Float) -> Double {
    let (rawA, rawB) = (UnsafeRawPointer(a), UnsafeRawPointer(b))
    let centers = SIMD16<Float>(repeating: center)
    return accumulate(count: count, chunk: { index in
        rawA.loadUnaligned(fromByteOffset: index * 4, as: SIMD16<Float>.self)
            * (rawB.loadUnaligned(fromByteOffset: index * 4, as: SIMD16<Float>.self) - centers)
    }, tail: { index in a[index] * (b[index] - center) })
}
