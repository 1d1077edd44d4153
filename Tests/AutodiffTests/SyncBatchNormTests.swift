import Autodiff
import CPUBackend
import TensorCore
import Testing
import TestSupport

/// `syncBatchNormTraining`: batch norm over the global batch of several replicas, against the Float64 reference.
@Suite struct SyncBatchNormTests {
    static let epsilon: Float = 1e-5

    /// One replica: the sum across replicas leaves the values as they are.
    final class OneReplica: CrossReplicaSum {
        var calls = 0
        func sumAcrossReplicas(_ values: inout [Double]) { calls += 1 }
    }

    /// The other replica's contributions, given in advance: what it would add in forward, then in backward.
    final class ScriptedReplica: CrossReplicaSum {
        var contributions: [[Double]]
        init(contributions: [[Double]]) { self.contributions = contributions }
        func sumAcrossReplicas(_ values: inout [Double]) {
            let other = contributions.removeFirst()
            precondition(other.count == values.count, "the test scripted \(other.count) values for \(values.count)")
            for index in values.indices { values[index] += other[index] }
        }
    }

    /// On one replica SyncBN is batch norm: output, statistics and all three gradients against finite differences.
    @Test(arguments: NormalizationGradientTests.layouts, [false, true])
    func oneReplicaMatchesBatchNormAndFiniteDifferences(layout: ([Int], Bool), fuseReLU: Bool) {
        _ = testBackend
        let (shape, isBlocked) = layout
        let channels = shape[1]
        let x = ReferenceTensor.random(shape: shape, seed: 40, range: -1.5...2)
        let gamma = ReferenceTensor.random(shape: [channels], seed: 41, range: 0.5...1.5)
        let beta = ReferenceTensor.random(shape: [channels], seed: 42, range: -0.5...0.5)
        let input = NormalizationGradientTests.input(x, blocked: isBlocked)
        let (scale, shift) = (parameter(gamma), parameter(beta))
        let replica = OneReplica()
        let result = syncBatchNormTraining(input, scale: scale, shift: shift, epsilon: Self.epsilon, fuseReLU: fuseReLU,
                                           replicas: replica)
        #expect(result.count == shape[0] * shape[2] * shape[3])
        NormalizationGradientTests.expectBatchNormTraining((result.output, result.mean, result.variance),
                                                           of: (input, scale, shift), at: (x, gamma, beta),
                                                           fuseReLU: fuseReLU, cotangentSeed: 43)
        #expect(replica.calls == 2, "one sum in forward, one in backward")
    }

    /// bf16 activations: the same as oneDNN's batch norm within bf16 rounding, gradient in bf16.
    @Test(.enabled(if: CPUBackend.hasBFloat16Kernels, "oneDNN 2.6 has bfloat16 kernels only on AVX-512 CPUs"))
    func oneReplicaInBFloat16MatchesBatchNorm() {
        _ = testBackend
        let x = ReferenceTensor.random(shape: [2, 16, 3, 5], seed: 44, range: -1.5...2)
        let gamma = ReferenceTensor.random(shape: [16], seed: 45, range: 0.5...1.5)
        let beta = ReferenceTensor.random(shape: [16], seed: 46, range: -0.5...0.5)
        let synced = Variable(x.tensor(dtype: .bfloat16), requiresGradient: true)
        let plain = Variable(x.tensor(dtype: .bfloat16), requiresGradient: true)
        let sync = syncBatchNormTraining(synced, scale: parameter(gamma), shift: parameter(beta), epsilon: Self.epsilon,
                                         replicas: OneReplica()).output
        let reference = batchNormTraining(plain, scale: parameter(gamma), shift: parameter(beta),
                                          epsilon: Self.epsilon).output
        #expect(sync.dtype == .bfloat16)
        expectClose(plainValues(sync.value).values, plainValues(reference.value).values, tolerance: .bfloat16Gradient,
                    "output")
        let cotangent = ReferenceTensor.random(shape: [2, 16, 3, 5], seed: 47).tensor(dtype: .bfloat16)
        sync.backward(seed: cotangent)
        reference.backward(seed: cotangent)
        #expect(synced.gradient?.dtype == .bfloat16)
        expectClose(plainValues(synced.gradient!).values, plainValues(plain.gradient!).values,
                    tolerance: .bfloat16Gradient, "input gradient")
    }

    /// Replica A of two: its output and input gradient are those of batch norm over A and B together.
    ///
    /// B's sums are scripted from the Float64 reference, so the test needs no second
    /// process; it fails if either the forward or the backward reduction were skipped.
    @Test(arguments: [false, true])
    func aReplicaNormalisesAndDifferentiatesOverTheGlobalBatch(isBlocked: Bool) {
        _ = testBackend
        let (channels, height, width) = (16, 3, 4)
        let whole = ReferenceTensor.random(shape: [5, channels, height, width], seed: 50, range: -1...2.5)
        let gamma = ReferenceTensor.random(shape: [channels], seed: 51, range: 0.5...1.5)
        let beta = ReferenceTensor.random(shape: [channels], seed: 52, range: -0.5...0.5)
        let cotangent = ReferenceTensor.random(shape: whole.shape, seed: 53)
        let plane = height * width
        let split = 2 * channels * plane
        func part(_ tensor: ReferenceTensor, first: Bool) -> ReferenceTensor {
            let values = first ? Array(tensor.values[..<split]) : Array(tensor.values[split...])
            return ReferenceTensor(shape: [first ? 2 : 3, channels, height, width], values: values)
        }
        let (a, b) = (part(whole, first: true), part(whole, first: false))
        let global = Reference.batchNormTraining(input: whole, scale: gamma, shift: beta, epsilon: Double(Self.epsilon))

        // B's forward sums, then its Σdy·x̂ and Σdy under the global statistics.
        var forward = [Double](repeating: 0, count: 2 * channels + 1)
        var backward = [Double](repeating: 0, count: 2 * channels)
        let bCotangent = part(cotangent, first: false)
        for sample in 0..<3 {
            for channel in 0..<channels {
                let inverseDeviation = 1 / (global.biasedVariance.values[channel] + Double(Self.epsilon)).squareRoot()
                for index in 0..<plane {
                    let flat = (sample * channels + channel) * plane + index
                    let value = b.values[flat]
                    forward[channel] += value
                    forward[channels + channel] += value * value
                    let hat = (value - global.mean.values[channel]) * inverseDeviation
                    backward[channel] += bCotangent.values[flat] * hat
                    backward[channels + channel] += bCotangent.values[flat]
                }
            }
        }
        forward[2 * channels] = Double(3 * plane)

        let input = NormalizationGradientTests.input(a, blocked: isBlocked)
        let replica = ScriptedReplica(contributions: [forward, backward])
        let result = syncBatchNormTraining(input, scale: parameter(gamma), shift: parameter(beta), epsilon: Self.epsilon,
                                           replicas: replica)
        #expect(result.count == 5 * plane)
        expectClose(ReferenceTensor(result.mean), global.mean, tolerance: .gradient, "global mean")
        expectClose(ReferenceTensor(result.variance), global.biasedVariance, tolerance: .gradient, "global variance")
        expectClose(plainValues(result.output.value), part(global.output, first: true), tolerance: .gradient,
                    "A's rows of the global output")
        result.output.backward(seed: part(cotangent, first: true).tensor())
        #expect(replica.contributions.isEmpty, "forward and backward each summed once")
        expectGradient(of: input, at: a, "A's input gradient of the global objective") { aValues in
            var values = whole.values
            values.replaceSubrange(0..<split, with: aValues.values)
            let output = Reference.batchNormTraining(input: ReferenceTensor(shape: whole.shape, values: values),
                                                     scale: gamma, shift: beta, epsilon: Double(Self.epsilon)).output
            return Reference.dot(output, cotangent)
        }
    }

    /// Channels whose mean is 50 times their deviation: E[x²] − E[x]² from plain Float sums would lose ~3 digits.
    @Test func varianceKeepsItsDigitsWhenTheMeanDwarfsTheDeviation() {
        _ = testBackend
        let shape = [8, 16, 28, 28]
        let centred = ReferenceTensor.random(shape: shape, seed: 60, range: -1...1)
        let x = ReferenceTensor(shape: shape, values: centred.values.map { $0 + 30 })
        let gamma = ReferenceTensor.random(shape: [16], seed: 61, range: 0.5...1.5)
        let beta = ReferenceTensor.random(shape: [16], seed: 62, range: -0.5...0.5)
        let global = Reference.batchNormTraining(input: x, scale: gamma, shift: beta, epsilon: Double(Self.epsilon))
        let result = syncBatchNormTraining(Variable(x.tensor()), scale: parameter(gamma), shift: parameter(beta),
                                           epsilon: Self.epsilon, replicas: OneReplica())
        let errors = zip(ReferenceTensor(result.variance).values, global.biasedVariance.values).map { abs($0 - $1) / $1 }
        #expect(errors.max()! < 1e-5, "worst relative error of the variance \(errors.max()!)")
    }
}
