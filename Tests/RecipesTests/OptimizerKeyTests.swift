import Testing
@testable import Recipes

/// The `optimizer` keys of AdamW, LARS, LAMB and RMSpropTF: how they read, and how bad values are reported.
@Suite struct OptimizerKeyTests {
    @Test func everyOptimizerKeyReadsFromAFile() throws {
        let recipe = try parse("""
            optimizer:
              name: rmsproptf
              betas: [0.8, 0.99]
              eps: 1e-3
              alpha: 0.95
              trust_coefficient: 0.02
              trust_clip: true
              max_grad_norm: 0
            """)
        #expect(recipe.optimizer.name == .rmspropTF)
        #expect(recipe.optimizer.betas == [0.8, 0.99])
        #expect(recipe.optimizer.epsilon == 1e-3)
        #expect(recipe.optimizer.alpha == 0.95)
        #expect(recipe.optimizer.trustCoefficient == 0.02)
        #expect(recipe.optimizer.trustClip)
        #expect(recipe.optimizer.maxGradientNorm == 0)
    }

    @Test func epsilonIsOptionalAndAcceptsAnInteger() throws {
        #expect(try parse("optimizer:\n  eps: 1\n").optimizer.epsilon == 1)
        #expect(try parse("optimizer:\n  eps: null\n", overrides: ["optimizer.eps=2e-8"]).optimizer.epsilon == 2e-8)
        #expect(try parse("optimizer:\n  eps: 1e-8\n", overrides: ["optimizer.eps=~"]).optimizer.epsilon == nil)
    }

    @Test func keysTheChosenOptimizerDoesNotUseAreAccepted() throws {
        let recipe = try parse("optimizer:\n  name: sgd\n  betas: [0.5, 0.5]\n  alpha: 0.5\n  max_grad_norm: 3\n")
        #expect(recipe.optimizer.name == .sgd && recipe.optimizer.betas == [0.5, 0.5])
    }

    @Test func invalidOptimizerValuesNameTheKeyAndWhatIsValid() throws {
        let cases: [(yaml: String, message: String)] = [
            ("optimizer:\n  name: adam\n",
             "optimizer.name: 'adam' is not a valid choice; expected one of sgd, adamw, lars, lamb, rmsproptf"),
            ("optimizer:\n  betas: [0.9]\n",
             "optimizer.betas: expected a list of 2 numbers, each a number >= 0 and < 1, found a list"),
            ("optimizer:\n  betas: [0.9, 0.99, 0.999]\n",
             "optimizer.betas: expected a list of 2 numbers, each a number >= 0 and < 1, found a list"),
            ("optimizer:\n  betas: 0.9\n",
             "optimizer.betas: expected a list of 2 numbers, each a number >= 0 and < 1, found '0.9'"),
            ("optimizer:\n  betas: [0.9, 1.0]\n", "optimizer.betas[1]: expected a number >= 0 and < 1, found '1.0'"),
            ("optimizer:\n  betas: [-0.1, 0.9]\n", "optimizer.betas[0]: expected a number >= 0 and < 1, found '-0.1'"),
            ("optimizer:\n  eps: 0\n", "optimizer.eps: expected a number > 0, or null, found '0'"),
            ("optimizer:\n  eps: tiny\n", "optimizer.eps: expected a number > 0, or null, found 'tiny'"),
            ("optimizer:\n  eps: [1e-8]\n", "optimizer.eps: expected a number > 0, or null, found a list"),
            ("optimizer:\n  alpha: 1\n", "optimizer.alpha: expected a number >= 0 and < 1, found '1'"),
            ("optimizer:\n  trust_coefficient: 0\n", "optimizer.trust_coefficient: expected a number > 0, found '0'"),
            ("optimizer:\n  trust_clip: 1\n", "optimizer.trust_clip: expected true or false, found '1'"),
            ("optimizer:\n  max_grad_norm: -1\n", "optimizer.max_grad_norm: expected a number >= 0, found '-1'"),
        ]
        for (yaml, message) in cases {
            let error = try #require(parseError(yaml), "\(yaml) should not load")
            #expect(error.description.hasSuffix(message), "\(error)")
            #expect(error.line == 2)
        }
    }

    @Test func overridesOfOptimizerKeysAreCheckedLikeFileValues() throws {
        let error = try #require(parseError("", overrides: ["optimizer.betas=[0.9, 1.5]"]))
        #expect(error.keyPath == "optimizer.betas[1]")
        #expect(error.line == nil)
    }
}
