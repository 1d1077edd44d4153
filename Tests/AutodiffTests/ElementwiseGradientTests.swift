import Autodiff
import TensorCore
import Testing
import TestSupport

/// `relu`, `+`, `*` (by a constant), `multiply(_:perSampleScale:)` and `convert`: gradients against the reference.
@Suite struct ElementwiseGradientTests {
    /// Values at least 0.05 away from zero, so no finite-difference step crosses ReLU's kink.
    static func awayFromZero(shape: [Int], seed: UInt64) -> ReferenceTensor {
        ReferenceTensor.random(shape: shape, seed: seed).map { $0 < 0 ? $0 - 0.05 : $0 + 0.05 }
    }

    @Test(arguments: [false, true])
    func reluGradientMatchesFiniteDifferences(isBlocked: Bool) {
        _ = testBackend
        let x = Self.awayFromZero(shape: [2, 16, 3, 5], seed: 100)
        let input = Variable(isBlocked ? blocked(x.tensor()) : x.tensor(), requiresGradient: true)
        let output = relu(input)
        expectClose(plainValues(output.value), Reference.relu(x), tolerance: .gradient, "forward")
        let cotangent = backpropagateRandomCotangent(from: output, seed: 101)
        expectGradient(of: input, at: x) { Reference.dot(Reference.relu($0), cotangent) }
    }

    /// Both operands of the residual sum get the gradient, in either layout.
    @Test(arguments: [(false, false), (true, false), (false, true)])
    func addGradientMatchesFiniteDifferences(layouts: (Bool, Bool)) {
        _ = testBackend
        let (a, b) = (ReferenceTensor.random(shape: [2, 16, 3, 5], seed: 110),
                      ReferenceTensor.random(shape: [2, 16, 3, 5], seed: 111))
        let left = Variable(layouts.0 ? blocked(a.tensor()) : a.tensor(), requiresGradient: true)
        let right = Variable(layouts.1 ? blocked(b.tensor()) : b.tensor(), requiresGradient: true)
        let output = left + right
        expectClose(plainValues(output.value), Reference.add(a, b), tolerance: .gradient, "forward")
        let cotangent = backpropagateRandomCotangent(from: output, seed: 112)
        expectGradient(of: left, at: a, "left") { Reference.dot(Reference.add($0, b), cotangent) }
        expectGradient(of: right, at: b, "right") { Reference.dot(Reference.add(a, $0), cotangent) }
    }

    /// The fused residual end, max(a + b, 0): forward and both gradients, in either layout.
    @Test(arguments: [(false, false), (true, false), (false, true), (true, true)])
    func addThenReLUGradientMatchesFiniteDifferences(layouts: (Bool, Bool)) {
        _ = testBackend
        let a = ReferenceTensor.random(shape: [2, 16, 3, 5], seed: 120)
        // b is nudged so that every sum stays at least 0.05 away from ReLU's kink.
        let b = ReferenceTensor.random(shape: [2, 16, 3, 5], seed: 121)
        let sums = Reference.add(a, b)
        let shifted = ReferenceTensor(shape: b.shape, values: zip(b.values, sums.values).map { value, sum in
            abs(sum) < 0.05 ? value + (sum < 0 ? -0.1 : 0.1) : value
        })
        let left = Variable(layouts.0 ? blocked(a.tensor()) : a.tensor(), requiresGradient: true)
        let right = Variable(layouts.1 ? blocked(shifted.tensor()) : shifted.tensor(), requiresGradient: true)
        let output = addThenReLU(left, right)
        expectClose(plainValues(output.value), Reference.relu(Reference.add(a, shifted)), tolerance: .gradient, "forward")
        let cotangent = backpropagateRandomCotangent(from: output, seed: 122)
        expectGradient(of: left, at: a, "left") { Reference.dot(Reference.relu(Reference.add($0, shifted)), cotangent) }
        expectGradient(of: right, at: shifted, "right") { Reference.dot(Reference.relu(Reference.add(a, $0)), cotangent) }
    }

    /// Only the operand that needs a gradient gets one.
    @Test func addGivesNoGradientToAnOperandThatNeedsNone() {
        _ = testBackend
        let a = ReferenceTensor.random(shape: [3, 4], seed: 115)
        let left = parameter(a)
        let right = Variable(ReferenceTensor.random(shape: [3, 4], seed: 116).tensor())
        let cotangent = backpropagateRandomCotangent(from: left + right, seed: 117)
        #expect(right.gradient == nil)
        expectGradient(of: left, at: a) { Reference.dot($0, cotangent) }
    }

    @Test(arguments: [Float(2.5), -0.5, 0])
    func scaleGradientMatchesFiniteDifferences(factor: Float) {
        _ = testBackend
        let x = ReferenceTensor.random(shape: [2, 3, 4, 5], seed: 120)
        let input = parameter(x)
        let output = input * factor
        expectClose(plainValues(output.value), x.map { $0 * Double(factor) }, tolerance: .gradient, "forward")
        let cotangent = backpropagateRandomCotangent(from: output, seed: 121)
        expectGradient(of: input, at: x) { Reference.dot($0.map { $0 * Double(factor) }, cotangent) }
    }

    /// Stochastic depth: a dropped sample (0) gets no gradient, a kept one 1 / keep probability.
    @Test(arguments: [[4, 3, 5, 5], [4, 6]])
    func perSampleMultiplyGradientMatchesFiniteDifferences(shape: [Int]) {
        _ = testBackend
        let x = ReferenceTensor.random(shape: shape, seed: 130)
        let scale = ReferenceTensor(shape: [4], values: [0, 1.25, 1.25, -0.7])
        let input = parameter(x)
        let output = multiply(input, perSampleScale: scale.tensor())
        expectClose(plainValues(output.value), Reference.multiplyPerSample(x, scale: scale), tolerance: .gradient,
                    "forward")
        let cotangent = backpropagateRandomCotangent(from: output, seed: 131)
        expectGradient(of: input, at: x) { Reference.dot(Reference.multiplyPerSample($0, scale: scale), cotangent) }
    }

    /// float32 → bfloat16 → back: the forward rounds to bfloat16, the gradient passes through converted back.
    @Test func convertGradientIsTheCotangentConvertedBack() throws {
        _ = testBackend
        let x = ReferenceTensor.random(shape: [2, 3, 4, 5], seed: 140)
        let input = parameter(x)
        let narrowed = convert(input, to: .bfloat16)
        #expect(narrowed.dtype == .bfloat16)
        #expect(plainValues(narrowed.value) == ReferenceTensor(x.tensor(dtype: .bfloat16)))
        let cotangent = backpropagateRandomCotangent(from: narrowed, seed: 141)
        let gradient = try #require(input.gradient)
        #expect(gradient.dtype == .float32)
        #expect(plainValues(gradient) == cotangent, "the bfloat16 cotangent widens exactly")
    }

    /// A bfloat16 leaf converted up gets its float32 cotangent rounded to bfloat16.
    @Test func convertFromBFloat16GivesABFloat16Gradient() throws {
        _ = testBackend
        let input = parameter(ReferenceTensor.random(shape: [3, 5], seed: 150), dtype: .bfloat16)
        let widened = convert(input, to: .float32)
        let cotangent = backpropagateRandomCotangent(from: widened, seed: 151)
        let gradient = try #require(input.gradient)
        #expect(gradient.dtype == .bfloat16)
        #expect(plainValues(gradient) == ReferenceTensor(cotangent.tensor(dtype: .bfloat16)))
    }

    @Test func convertToTheSameTypeIsTheIdentity() {
        _ = testBackend
        let input = parameter(ReferenceTensor.random(shape: [2, 2], seed: 160))
        #expect(convert(input, to: .float32) === input)
    }
}
