import Layers
import Optimizers
import TensorCore
import Testing

/// Per-parameter learning-rate scales: one mechanism for all five optimizers, as PyTorch's parameter groups.
@Suite struct LearningRateScaleTests {
    /// Every fixture case but LAMB with gradient clipping, whose clipping norm spans all parameters by design.
    static let caseNames = ["sgd", "adamw", "adamw-betas", "lars-nesterov", "lars-clip-dampening",
                            "lamb-unclipped-norm", "rmsproptf", "rmsproptf-pytorch-momentum", "rmsproptf-no-momentum"]

    /// The scales under test: the fixture's parameters split into three groups.
    static let scales: [String: Float] = ["fc.weight": 0.5, "norm.bias": 3]

    /// A parameter scaled by s steps exactly as it would in its own optimizer at learning rate lr·s.
    @Test(arguments: caseNames)
    func scaledParameterStepsLikeItsOwnGroupAtTheScaledRate(name: String) throws {
        let fixture = OptimizerFixture.shared
        let testCase = try #require(fixture.run(name, noBiasDecay: true), "no fixture case \(name)")
        if name == "lamb-unclipped-norm" { #expect(testCase.options.maxGradNorm == 0) }
        let scaledParameters = fixture.makeParameters()
        let scaled = fixture.makeOptimizer(testCase, parameters: scaledParameters)
        scaled.learningRateScales = Self.scales

        let groupParameters = fixture.makeParameters()
        let groups = [Float(0.5), 1, 3].map { factor in
            let members = groupParameters.filter { (Self.scales[$0.path] ?? 1) == factor }
            return (factor: factor, optimizer: fixture.makeOptimizer(testCase, parameters: members))
        }
        #expect(groups.map(\.optimizer.parameters.count) == [1, 2, 1])

        for step in 0..<fixture.gradients.count {
            fixture.setGradients(of: scaledParameters, step: step)
            fixture.setGradients(of: groupParameters, step: step)
            scaled.learningRate = fixture.learningRates[step]
            scaled.step()
            for (factor, optimizer) in groups {
                optimizer.learningRate = fixture.learningRates[step] * factor
                optimizer.step()
            }
        }
        for ((path, parameter), (_, reference)) in zip(scaledParameters, groupParameters) {
            #expect(parameter.value.scalars == reference.value.scalars, "\(name): \(path)")
        }
        let unscaled = fixture.makeParameters()
        fixture.runSteps(0..<fixture.gradients.count, optimizer: fixture.makeOptimizer(testCase, parameters: unscaled))
        #expect(unscaled[0].parameter.value.scalars != scaledParameters[0].parameter.value.scalars,
                "\(name): the scale on fc.weight changed nothing")
    }

    @Test func aParameterWithoutAScaleTrainsAtTheOptimizersRate() {
        let parameter = Parameter(name: "weight", value: Tensor(shape: [1], scalars: [1]), kind: .weight)
        let optimizer = SGD(parameters: [("a.weight", parameter)], learningRate: 0.25)
        optimizer.learningRateScales = ["b.weight": 4]
        #expect(optimizer.learningRate(forPath: "a.weight") == 0.25)
        #expect(optimizer.learningRate(forPath: "b.weight") == 1)
    }
}
