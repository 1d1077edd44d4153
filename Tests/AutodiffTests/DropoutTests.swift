import Autodiff
import CPUBackend
import TensorCore
import Testing
import TestSupport

/// `dropout`: the forward mask and the backward mask are the same, kept elements scale by 1 / (1 − p), and p of them drop.
@Suite struct DropoutTests {
    /// The kept-element mask the forward pass used, read off its output (every input element is nonzero).
    static func mask(of output: Variable) -> ReferenceTensor {
        plainValues(output.value).map { $0 == 0 ? 0 : 1 }
    }

    /// Inputs in (0.1, 1.1) in magnitude, so a zero in the output can only be a dropped element.
    static func nonzero(shape: [Int], seed: UInt64) -> ReferenceTensor {
        ReferenceTensor.random(shape: shape, seed: seed).map { $0 < 0 ? $0 - 0.1 : $0 + 0.1 }
    }

    /// Plain and blocked (20 channels: the second block is padded), float32 and bfloat16.
    @Test(arguments: [(false, DType.float32), (true, .float32), (false, .bfloat16), (true, .bfloat16)]
        .filter { $0.1 == .float32 || CPUBackend.hasBFloat16Kernels })
    func dropoutGradientUsesTheForwardMask(setting: (Bool, DType)) {
        _ = testBackend
        let (isBlocked, dtype) = setting
        let probability = 0.4
        let x = ReferenceTensor(Self.nonzero(shape: [2, 20, 3, 5], seed: 400).tensor(dtype: dtype))
        let input = Variable(isBlocked ? blocked(x.tensor(dtype: dtype)) : x.tensor(dtype: dtype), requiresGradient: true)
        var generator = SeededGenerator(seed: 401)
        let output = dropout(input, probability: Float(probability), using: &generator)
        let mask = Self.mask(of: output)
        #expect(mask.values.contains(0) && mask.values.contains(1), "some elements dropped and some kept")
        let tolerance: Tolerance = dtype == .float32 ? .gradient : .bfloat16Gradient
        expectClose(plainValues(output.value), Reference.dropout(x, mask: mask, probability: probability),
                    tolerance: tolerance, "forward")
        let cotangent = backpropagateRandomCotangent(from: output, seed: 402)
        expectGradient(of: input, at: x, tolerance: tolerance) {
            Reference.dot(Reference.dropout($0, mask: mask, probability: probability), cotangent)
        }
    }

    /// Over 20 000 elements the kept fraction is 1 − p within four standard deviations, and the mean is preserved.
    @Test(arguments: [Float(0.1), 0.3, 0.5])
    func dropoutKeepsOneMinusPOfTheElements(probability: Float) {
        _ = testBackend
        let count = 20_000
        let input = Variable(Tensor(repeating: 1, shape: [count]), requiresGradient: true)
        var generator = SeededGenerator(seed: 410)
        let output = plainValues(dropout(input, probability: probability, using: &generator).value)
        let keep = 1 - Double(probability)
        let kept = output.values.filter { $0 != 0 }
        let standardDeviation = (keep * (1 - keep) / Double(count)).squareRoot()
        #expect(abs(Double(kept.count) / Double(count) - keep) < 4 * standardDeviation)
        #expect(kept.allSatisfy { abs($0 - 1 / keep) < 1e-6 }, "kept elements are scaled by 1 / (1 − p)")
        #expect(abs(Reference.mean(output) - 1) < 4 * standardDeviation / keep, "the expected value is unchanged")
    }

    /// The same generator state gives the same mask; a different one a different mask.
    @Test func dropoutMaskIsDeterminedByTheGenerator() {
        _ = testBackend
        let input = Variable(Tensor(repeating: 1, shape: [512]), requiresGradient: true)
        var first = SeededGenerator(seed: 420)
        var second = SeededGenerator(seed: 420)
        let a = plainValues(dropout(input, probability: 0.5, using: &first).value)
        let b = plainValues(dropout(input, probability: 0.5, using: &second).value)
        let c = plainValues(dropout(input, probability: 0.5, using: &first).value)
        #expect(a == b)
        #expect(a != c)
    }

    @Test func dropoutWithProbabilityZeroIsTheIdentity() {
        _ = testBackend
        let input = parameter(ReferenceTensor.random(shape: [4, 4], seed: 430))
        var generator = SeededGenerator(seed: 431)
        #expect(dropout(input, probability: 0, using: &generator) === input)
    }
}
