import Layers
import Optimizers
import Testing

/// Every optimizer, step by step, against `torch.optim` SGD and AdamW and timm's `Lars`, `Lamb` and `RMSpropTF`.
///
/// The bound: for each parameter after each step, max |ours − reference| over its elements
/// is at most 1e-5 times max |reference| (the reference computes in float32 too, in another
/// order, so the two agree to a few float32 ulps, not bit for bit). Each case runs with
/// no_bias_decay off and on, so the weight-decay and trust-ratio exemptions are checked too.
@Suite struct ReferenceOptimizerTests {
    static let relativeBound: Float = 1e-5

    static let caseNames = [
        "sgd", "adamw", "adamw-betas", "lars-nesterov", "lars-clip-dampening", "lamb", "lamb-clip",
        "lamb-unclipped-norm", "rmsproptf", "rmsproptf-pytorch-momentum", "rmsproptf-no-momentum",
    ]

    @Test(arguments: caseNames, [false, true])
    func parametersMatchTheReferenceAfterEveryStep(name: String, noBiasDecay: Bool) throws {
        let fixture = OptimizerFixture.shared
        let testCase = try #require(fixture.run(name, noBiasDecay: noBiasDecay), "no fixture case \(name)")
        let parameters = fixture.makeParameters()
        let optimizer = fixture.makeOptimizer(testCase, parameters: parameters)
        for (step, expected) in testCase.steps.enumerated() {
            fixture.runSteps(step..<step + 1, optimizer: optimizer)
            for ((path, parameter), wanted) in zip(parameters, expected) {
                let actual = parameter.value.scalars
                let difference = zip(actual, wanted).map { abs($0 - $1) }.max() ?? 0
                let scale = max(wanted.map(abs).max() ?? 0, 1e-6)
                #expect(difference <= Self.relativeBound * scale,
                        "\(name) step \(step) \(path): max difference \(difference), reference scale \(scale)")
            }
        }
    }

    @Test func everyCaseOfTheFixtureIsChecked() {
        let recorded = Set(OptimizerFixture.shared.cases.map(\.name))
        #expect(recorded == Set(Self.caseNames))
        #expect(OptimizerFixture.shared.cases.count == 2 * Self.caseNames.count)
    }

    @Test func theFixtureMovesEveryParameterAtEveryStep() throws {
        let fixture = OptimizerFixture.shared
        for testCase in fixture.cases {
            var previous = fixture.parameters.map(\.values)
            for step in testCase.steps {
                for (before, after) in zip(previous, step) { #expect(before != after, "\(testCase.name)") }
                previous = step
            }
        }
    }
}
