import Autodiff
import TensorCore
import Testing
import TestSupport

/// `sum` and `mean`: scalar values and gradients, including of a blocked input.
@Suite struct ReductionGradientTests {
    @Test(arguments: [false, true])
    func sumGradientMatchesFiniteDifferences(isBlocked: Bool) {
        _ = testBackend
        let x = ReferenceTensor.random(shape: [2, 16, 3, 5], seed: 600)
        let input = Variable(isBlocked ? blocked(x.tensor()) : x.tensor(), requiresGradient: true)
        let total = sum(input)
        #expect(total.shape == [])
        expectClose(Double(total.value.scalars[0]), Reference.sum(x), tolerance: .gradient, "sum")
        total.backward(seed: Tensor(shape: [], scalars: [-0.5]))
        expectGradient(of: input, at: x) { -0.5 * Reference.sum($0) }
    }

    @Test(arguments: [false, true])
    func meanGradientMatchesFiniteDifferences(isBlocked: Bool) {
        _ = testBackend
        let x = ReferenceTensor.random(shape: [2, 16, 3, 5], seed: 610)
        let input = Variable(isBlocked ? blocked(x.tensor()) : x.tensor(), requiresGradient: true)
        let average = mean(input)
        expectClose(Double(average.value.scalars[0]), Reference.mean(x), tolerance: .gradient, "mean")
        average.backward(seed: Tensor(shape: [], scalars: [3]))
        expectGradient(of: input, at: x) { 3 * Reference.mean($0) }
    }
}
