import Autodiff
import Layers
import Optimizers
import TensorCore
import Testing

/// Checkpointing every optimizer's state, and the parameters an optimizer must leave alone.
@Suite struct OptimizerStateTests {
    /// One case of each optimizer (and of each option that adds state), with no_bias_decay on.
    static let caseNames = ["sgd", "adamw", "lars-nesterov", "lamb", "rmsproptf", "rmsproptf-no-momentum"]

    /// The slots each of those cases keeps.
    static let expectedSlots: [String: Set<String>] = [
        "sgd": ["momentum"], "adamw": ["exp_avg", "exp_avg_sq"], "lars-nesterov": ["momentum"],
        "lamb": ["exp_avg", "exp_avg_sq"], "rmsproptf": ["square_avg", "momentum"],
        "rmsproptf-no-momentum": ["square_avg"],
    ]

    func testCase(_ name: String) throws -> OptimizerFixture.Case {
        try #require(OptimizerFixture.shared.run(name, noBiasDecay: true), "no fixture case \(name)")
    }

    @Test(arguments: caseNames)
    func restoringMidRunContinuesBitForBit(name: String) throws {
        let fixture = OptimizerFixture.shared
        let testCase = try testCase(name)
        let parameters = fixture.makeParameters()
        let original = fixture.makeOptimizer(testCase, parameters: parameters)
        fixture.runSteps(0..<3, optimizer: original)
        let saved = original.state
        #expect(Set(saved.slots.keys) == Self.expectedSlots[name])
        #expect(saved.stepCount == 3)

        let resumedParameters = fixture.makeParameters()
        for ((_, copy), (_, source)) in zip(resumedParameters, parameters) { copy.assign(source.value) }
        let resumed = fixture.makeOptimizer(testCase, parameters: resumedParameters)
        try resumed.restore(saved)
        #expect(resumed.state == saved)

        fixture.runSteps(3..<fixture.gradients.count, optimizer: original)
        fixture.runSteps(3..<fixture.gradients.count, optimizer: resumed)
        for ((path, resumedParameter), (_, parameter)) in zip(resumedParameters, parameters) {
            #expect(resumedParameter.value.scalars == parameter.value.scalars, "\(name): \(path)")
        }
        #expect(resumed.state == original.state)
    }

    @Test(arguments: caseNames)
    func restoreRejectsAnUnknownSlotAndAWrongSize(name: String) throws {
        let fixture = OptimizerFixture.shared
        let testCase = try testCase(name)
        let optimizer = fixture.makeOptimizer(testCase, parameters: fixture.makeParameters())
        let expected = Self.expectedSlots[name, default: []].sorted()

        let foreign = OptimizerState(slots: ["max_exp_avg_sq": ["fc.weight": [Float](repeating: 0, count: 12)]])
        #expect(throws: OptimizerStateError.unknownSlot("max_exp_avg_sq", expected: expected)) {
            try optimizer.restore(foreign)
        }

        let slot = expected[0]
        let short = OptimizerState(slots: [slot: ["fc.weight": [Float](repeating: 0, count: 11)]], stepCount: 2)
        #expect(throws: OptimizerStateError.sizeMismatch("fc.weight", slot: slot, expected: 12, found: 11)) {
            try optimizer.restore(short)
        }

        let stranger = OptimizerState(slots: [slot: ["head.weight": [0]]])
        #expect(throws: OptimizerStateError.unknownParameter("head.weight", slot: slot)) {
            try optimizer.restore(stranger)
        }
    }

    @Test(arguments: caseNames)
    func frozenParametersAndParametersWithoutGradientAreUntouched(name: String) throws {
        let fixture = OptimizerFixture.shared
        let testCase = try testCase(name)
        let parameters = fixture.makeParameters()
        // The weight, the one parameter that decays, has no gradient: decay alone must not move it.
        let (idle, frozen) = (parameters[0].parameter, parameters[2].parameter)
        let optimizer = fixture.makeOptimizer(testCase, parameters: parameters)
        fixture.setGradients(of: parameters, step: 0)
        frozen.isFrozen = true
        idle.zeroGradient()
        let before = parameters.map { $0.parameter.value.scalars }
        optimizer.learningRate = fixture.learningRates[0]
        optimizer.step()
        let after = parameters.map { $0.parameter.value.scalars }
        #expect(after[0] == before[0])
        #expect(after[2] == before[2])
        #expect(after[1] != before[1] && after[3] != before[3])
        for (slot, buffers) in optimizer.state.slots {
            #expect(Set(buffers.keys) == ["fc.bias", "norm.bias"], "\(name): \(slot)")
        }
    }
}
