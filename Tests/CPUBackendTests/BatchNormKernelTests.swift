import CPUBackend
import TensorCore
import Testing
import TestSupport

/// oneDNN's batch normalisation (training forward, inference forward, backward), with and without fused ReLU.
///
/// Inputs come plain (3 channels) and blocked (16 channels, as after a convolution, and
/// 20, whose second block is padded),
/// in float32 and bfloat16. Scale, shift and the statistics are float32 in every
/// precision; the backward reference is the central-difference gradient of
/// `Reference.dot(relu?(Reference.batchNormTraining(x, scale, shift)), cotangent)`.
@Suite struct BatchNormKernelTests {
    /// One input shape and layout.
    struct Case: Sendable, CustomTestStringConvertible {
        let shape: [Int]
        let isBlocked: Bool
        let seed: UInt64

        var testDescription: String { "\(shape) \(isBlocked ? "blocked" : "plain")" }
        var channels: Int { shape[1] }
        /// Uniform values with a per-element offset, so channels have different means and spreads.
        var input: ReferenceTensor {
            ReferenceTensor.random(shape: shape, seed: seed, range: -2...2).map { $0 * 0.75 + 0.3 }
        }
        var scale: ReferenceTensor { .random(shape: [channels], seed: seed + 1, range: 0.5...1.5) }
        var shift: ReferenceTensor { .random(shape: [channels], seed: seed + 2, range: -0.5...0.5) }
        var cotangent: ReferenceTensor { .random(shape: shape, seed: seed + 3) }

        func tensor(_ reference: ReferenceTensor, _ precision: Precision) -> Tensor {
            let plain = precision.tensor(reference)
            return isBlocked ? blocked(plain) : plain
        }

        static let all = [Case(shape: [4, 3, 5, 7], isBlocked: false, seed: 300),
                          Case(shape: [2, 16, 3, 5], isBlocked: true, seed: 310),
                          Case(shape: [2, 20, 3, 3], isBlocked: true, seed: 340)]
    }

    static let epsilon: Float = 1e-5

    /// Each precision, without and with the fused ReLU.
    static let precisionsAndReLU: [(Precision, Bool)] = Precision.available.flatMap { [($0, false), ($0, true)] }

    /// The batch mean and biased variance are float32 sums over N·H·W ≤ 140 elements: float32 bounds.
    static let statisticsTolerance = Tolerance(relative: 1e-4, absolute: 1e-5)

    @Test(arguments: Case.all, Self.precisionsAndReLU)
    func batchNormTrainingForwardMatchesReference(normalization: Case, settings: (Precision, Bool)) {
        let (precision, fuseReLU) = settings
        let backend = testBackend
        let input = precision.rounded(normalization.input)
        let result = backend.batchNormTrainingForward(input: normalization.tensor(input, precision),
                                                      scale: normalization.scale.tensor(),
                                                      shift: normalization.shift.tensor(),
                                                      epsilon: Self.epsilon, fuseReLU: fuseReLU)
        let expected = Reference.batchNormTraining(input: input, scale: normalization.scale,
                                                   shift: normalization.shift, epsilon: Double(Self.epsilon))
        #expect(result.output.dtype == precision.dtype)
        #expect(result.mean.shape == [normalization.channels] && result.variance.shape == [normalization.channels])
        let output = fuseReLU ? Reference.relu(expected.output) : expected.output
        expectClose(plainValues(result.output), output, tolerance: precision.tolerance, "output")
        expectClose(ReferenceTensor(result.mean), expected.mean, tolerance: Self.statisticsTolerance, "mean")
        expectClose(ReferenceTensor(result.variance), expected.biasedVariance, tolerance: Self.statisticsTolerance,
                    "biased variance")
        #expect((result.workspace != nil) == fuseReLU, "a fused ReLU saves its mask for the backward pass")
    }

    @Test(arguments: Case.all, Self.precisionsAndReLU)
    func batchNormInferenceForwardMatchesReference(normalization: Case, settings: (Precision, Bool)) {
        let (precision, fuseReLU) = settings
        let backend = testBackend
        let input = precision.rounded(normalization.input)
        let mean = ReferenceTensor.random(shape: [normalization.channels], seed: 320, range: -0.3...0.6)
        let variance = ReferenceTensor.random(shape: [normalization.channels], seed: 321, range: 0.2...2)
        let output = backend.batchNormInferenceForward(input: normalization.tensor(input, precision),
                                                       scale: normalization.scale.tensor(),
                                                       shift: normalization.shift.tensor(), mean: mean.tensor(),
                                                       variance: variance.tensor(), epsilon: Self.epsilon,
                                                       fuseReLU: fuseReLU)
        let expected = Reference.batchNormInference(input: input, scale: normalization.scale,
                                                    shift: normalization.shift, mean: mean, variance: variance,
                                                    epsilon: Double(Self.epsilon))
        #expect(output.dtype == precision.dtype)
        expectClose(plainValues(output), fuseReLU ? Reference.relu(expected) : expected, tolerance: precision.tolerance)
    }

    @Test(arguments: Case.all, Self.precisionsAndReLU)
    func batchNormBackwardMatchesReference(normalization: Case, settings: (Precision, Bool)) {
        let (precision, fuseReLU) = settings
        let backend = testBackend
        let input = precision.rounded(normalization.input)
        let cotangent = precision.rounded(normalization.cotangent)
        let (scale, shift) = (normalization.scale, normalization.shift)
        let inputTensor = normalization.tensor(input, precision)
        let saved = backend.batchNormTrainingForward(input: inputTensor, scale: scale.tensor(), shift: shift.tensor(),
                                                     epsilon: Self.epsilon, fuseReLU: fuseReLU)
        let gradients = backend.batchNormBackward(gradientOfOutput: normalization.tensor(cotangent, precision),
                                                  input: inputTensor, scale: scale.tensor(), shift: shift.tensor(),
                                                  saved: saved.statistics, epsilon: Self.epsilon, fuseReLU: fuseReLU,
                                                  useGlobalStatistics: false)
        func objective(_ input: ReferenceTensor, _ scale: ReferenceTensor, _ shift: ReferenceTensor) -> Double {
            let output = Reference.batchNormTraining(input: input, scale: scale, shift: shift,
                                                     epsilon: Double(Self.epsilon)).output
            return Reference.dot(fuseReLU ? Reference.relu(output) : output, cotangent)
        }
        let inputGradient = FiniteDifferences.gradient(at: input) { objective($0, scale, shift) }
        let scaleGradient = FiniteDifferences.gradient(at: scale) { objective(input, $0, shift) }
        let shiftGradient = FiniteDifferences.gradient(at: shift) { objective(input, scale, $0) }
        #expect(gradients.input.dtype == precision.dtype)
        #expect(gradients.scale.dtype == .float32 && gradients.shift.dtype == .float32)
        expectClose(plainValues(gradients.input), inputGradient, tolerance: precision.tolerance, "input")
        expectClose(ReferenceTensor(gradients.scale), scaleGradient, tolerance: precision.tolerance, "scale")
        expectClose(ReferenceTensor(gradients.shift), shiftGradient, tolerance: precision.tolerance, "shift")
    }

    /// With global statistics the mean and variance are constants: the backward of `Reference.batchNormInference`.
    @Test(arguments: Case.all, Precision.available)
    func batchNormBackwardWithGlobalStatisticsMatchesReference(normalization: Case, precision: Precision) {
        let backend = testBackend
        let input = precision.rounded(normalization.input)
        let cotangent = precision.rounded(normalization.cotangent)
        let (scale, shift) = (normalization.scale, normalization.shift)
        let mean = ReferenceTensor.random(shape: [normalization.channels], seed: 330, range: -0.3...0.6)
        let variance = ReferenceTensor.random(shape: [normalization.channels], seed: 331, range: 0.2...2)
        let inputTensor = normalization.tensor(input, precision)
        let saved = BatchNormSavedStatistics(mean: mean.tensor(), variance: variance.tensor(), workspace: nil)
        let gradients = backend.batchNormBackward(gradientOfOutput: normalization.tensor(cotangent, precision),
                                                  input: inputTensor, scale: scale.tensor(), shift: shift.tensor(),
                                                  saved: saved, epsilon: Self.epsilon, fuseReLU: false,
                                                  useGlobalStatistics: true)
        func objective(_ input: ReferenceTensor, _ scale: ReferenceTensor, _ shift: ReferenceTensor) -> Double {
            Reference.dot(Reference.batchNormInference(input: input, scale: scale, shift: shift, mean: mean,
                                                       variance: variance, epsilon: Double(Self.epsilon)), cotangent)
        }
        expectClose(plainValues(gradients.input), FiniteDifferences.gradient(at: input) { objective($0, scale, shift) },
                    tolerance: precision.tolerance, "input")
        expectClose(ReferenceTensor(gradients.scale), FiniteDifferences.gradient(at: scale) { objective(input, $0, shift) },
                    tolerance: precision.tolerance, "scale")
        expectClose(ReferenceTensor(gradients.shift), FiniteDifferences.gradient(at: shift) { objective(input, scale, $0) },
                    tolerance: precision.tolerance, "shift")
    }
}
