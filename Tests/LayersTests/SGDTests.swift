import Autodiff
import Layers
import Optimizers
import TensorCore
import Testing

/// SGD's update rule, step by step, against the formulas of `torch.optim.SGD` computed by hand in Float64.
@Suite struct SGDTests {
    func parameter(_ values: [Float], kind: Parameter.Kind = .weight) -> Parameter {
        _ = testBackend
        return Parameter(name: "weight", value: Tensor(shape: [values.count], scalars: values), kind: kind)
    }

    func setGradient(_ parameter: Parameter, _ values: [Float]) {
        parameter.zeroGradient()
        parameter.variable.accumulateGradient(Tensor(shape: [values.count], scalars: values))
    }

    @Test(arguments: [false, true])
    func momentumAndWeightDecayFollowPyTorch(nesterov: Bool) {
        let weight = parameter([1, -2])
        let optimizer = SGD(parameters: [("w", weight)], learningRate: 0.1, momentum: 0.9, nesterov: nesterov,
                            weightDecay: 0.01)
        var expected: [Double] = [1, -2]
        var buffer: [Double] = [0, 0]
        for (step, gradient) in [[0.5, 0.25], [-1.0, 2.0], [0.125, -0.5]].enumerated() {
            setGradient(weight, gradient.map(Float.init))
            optimizer.step()
            for index in 0..<2 {
                let direction = gradient[index] + 0.01 * expected[index]
                buffer[index] = step == 0 ? direction : 0.9 * buffer[index] + direction
                expected[index] -= 0.1 * (nesterov ? direction + 0.9 * buffer[index] : buffer[index])
            }
        }
        for (actual, wanted) in zip(weight.value.scalars, expected) {
            #expect(abs(Double(actual) - wanted) < 1e-6)
        }
    }

    @Test func biasAndNormParametersSkipDecayWhenAsked() {
        let bias = parameter([2], kind: .bias)
        let optimizer = SGD(parameters: [("b", bias)], learningRate: 1, weightDecay: 0.5,
                            excludeBiasAndNormFromDecay: true)
        setGradient(bias, [0])
        optimizer.step()
        #expect(bias.value.scalars == [2])
    }

    @Test func frozenParametersAreNotUpdated() {
        let weight = parameter([3])
        setGradient(weight, [1])
        weight.isFrozen = true
        SGD(parameters: [("w", weight)], learningRate: 1).step()
        #expect(weight.value.scalars == [3])
        #expect(weight.gradient == nil)
    }
}
