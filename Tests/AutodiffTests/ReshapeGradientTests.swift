import Autodiff
import TensorCore
import Testing
import TestSupport

/// `reshape` and `flatten`: the same elements in row-major order, whatever the input's layout; gradients reshape back.
@Suite struct ReshapeGradientTests {
    @Test(arguments: [false, true])
    func flattenGradientMatchesFiniteDifferences(isBlocked: Bool) {
        _ = testBackend
        let x = ReferenceTensor.random(shape: [2, 16, 3, 5], seed: 300)
        let input = Variable(isBlocked ? blocked(x.tensor()) : x.tensor(), requiresGradient: true)
        let output = flatten(input)
        #expect(output.shape == [2, 240] && output.value.format.isPlain)
        #expect(plainValues(output.value) == Reference.flatten(ReferenceTensor(x.tensor())), "exactly the float32 elements")
        let cotangent = backpropagateRandomCotangent(from: output, seed: 301)
        expectGradient(of: input, at: x) { Reference.dot(Reference.flatten($0), cotangent) }
    }

    @Test func reshapeGradientMatchesFiniteDifferences() {
        _ = testBackend
        let x = ReferenceTensor.random(shape: [2, 3, 4, 5], seed: 310)
        let input = parameter(x)
        let output = reshape(input, to: [6, 20])
        #expect(plainValues(output.value) == ReferenceTensor(x.tensor()).reshaped([6, 20]), "exactly the float32 elements")
        let cotangent = backpropagateRandomCotangent(from: output, seed: 311)
        expectGradient(of: input, at: x) { Reference.dot($0.reshaped([6, 20]), cotangent) }
    }

    /// A classifier head as ResNet's: convolution, global pool, flatten, linear — gradient back to the convolution's weight.
    @Test func headGradientMatchesFiniteDifferences() {
        _ = testBackend
        let geometry = ConvolutionGeometry(padding: 1)
        let x = ReferenceTensor.random(shape: [2, 3, 5, 6], seed: 320)
        let w = ReferenceTensor.random(shape: [16, 3, 3, 3], seed: 321, range: -0.5...0.5)
        let v = ReferenceTensor.random(shape: [4, 16], seed: 322, range: -0.5...0.5)
        let (convolutionWeight, linearWeight) = (parameter(w), parameter(v))
        let features = globalAveragePool(relu(conv2d(Variable(x.tensor()), weight: convolutionWeight, geometry: geometry)))
        let output = linear(flatten(features), weight: linearWeight)
        let cotangent = backpropagateRandomCotangent(from: output, seed: 323)
        func objective(_ w: ReferenceTensor, _ v: ReferenceTensor) -> Double {
            let pooled = Reference.globalAveragePool(Reference.relu(Reference.conv2d(input: x, weight: w, geometry: geometry)))
            return Reference.dot(Reference.linear(input: Reference.flatten(pooled), weight: v), cotangent)
        }
        expectGradient(of: convolutionWeight, at: w, probes: 96, "convolution weight") { objective($0, v) }
        expectGradient(of: linearWeight, at: v, "linear weight") { objective(w, $0) }
    }
}
