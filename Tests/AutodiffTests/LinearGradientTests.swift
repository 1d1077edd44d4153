import Autodiff
import TensorCore
import Testing
import TestSupport

/// `linear`: gradients of input, weight and bias against central differences of `Reference.linear`.
@Suite struct LinearGradientTests {
    @Test(arguments: [(5, 7, 3, true), (4, 33, 10, false), (1, 64, 17, true)])
    func linearGradientsMatchFiniteDifferences(size: (Int, Int, Int, Bool)) {
        _ = testBackend
        let (batch, inputFeatures, outputFeatures, hasBias) = size
        let x = ReferenceTensor.random(shape: [batch, inputFeatures], seed: 200)
        let w = ReferenceTensor.random(shape: [outputFeatures, inputFeatures], seed: 201, range: -0.5...0.5)
        let b = hasBias ? ReferenceTensor.random(shape: [outputFeatures], seed: 202) : nil
        let (input, weight, bias) = (parameter(x), parameter(w), b.map { parameter($0) })
        let output = linear(input, weight: weight, bias: bias)
        expectClose(plainValues(output.value), Reference.linear(input: x, weight: w, bias: b), tolerance: .gradient,
                    "forward")
        let cotangent = backpropagateRandomCotangent(from: output, seed: 203)
        expectGradient(of: input, at: x, "input") { Reference.dot(Reference.linear(input: $0, weight: w, bias: b), cotangent) }
        expectGradient(of: weight, at: w, "weight") {
            Reference.dot(Reference.linear(input: x, weight: $0, bias: b), cotangent)
        }
        if let b, let bias {
            expectGradient(of: bias, at: b, "bias") { Reference.dot(Reference.linear(input: x, weight: w, bias: $0), cotangent) }
        }
    }
}
