import Testing
@testable import Recipes

/// The fine-tuning keys: `init`, `freeze`, `optimizer.layer_decay` and `optimizer.lr_multipliers`.
@Suite struct FineTuningKeyTests {
    @Test func everyFineTuningKeyReadsFromAFile() throws {
        let recipe = try parse("""
            init:
              from: runs/pretrain
              checkpoint: last
              strict: true
            freeze:
              parts: [stem, layer1, "layer4.*.bn*"]
              norm_eval: false
            optimizer:
              layer_decay: 0.65
              lr_multipliers: {head: 10, "layer2.*": 0.5}
            """)
        #expect(recipe.initialization == .init(from: "runs/pretrain", checkpoint: .last, strict: true))
        #expect(recipe.freeze == .init(parts: ["stem", "layer1", "layer4.*.bn*"], normEval: false))
        #expect(recipe.optimizer.layerDecay == 0.65)
        #expect(recipe.optimizer.learningRateMultipliers == [.init(part: "head", multiplier: 10),
                                                             .init(part: "layer2.*", multiplier: 0.5)])
    }

    @Test func defaultsStartFromRandomWeightsAndTrainEverythingAtOneRate() {
        let recipe = Recipe()
        #expect(recipe.initialization.from == nil)
        #expect(recipe.initialization.checkpoint == .best)
        #expect(!recipe.initialization.strict)
        #expect(recipe.freeze.parts.isEmpty)
        #expect(recipe.freeze.normEval)
        #expect(recipe.optimizer.layerDecay == nil)
        #expect(recipe.optimizer.learningRateMultipliers.isEmpty)
    }

    @Test func overridesSetListsAndMappings() throws {
        let recipe = try parse("", overrides: ["freeze.parts=[stem, layer1]", "optimizer.lr_multipliers={fc.bias: 2}",
                                               "init.from=~/weights.safetensors"])
        #expect(recipe.freeze.parts == ["stem", "layer1"])
        #expect(recipe.optimizer.learningRateMultipliers == [.init(part: "fc.bias", multiplier: 2)])
        #expect(recipe.initialization.from == "~/weights.safetensors")
        #expect(try parse(recipe.resolvedYAML()) == recipe)
    }

    @Test func invalidFineTuningValuesNameTheKeyAndWhatIsValid() throws {
        let cases: [(yaml: String, message: String)] = [
            ("init:\n  checkpoint: first\n", "init.checkpoint: 'first' is not a valid choice; expected one of best, last"),
            ("init:\n  strict: maybe\n", "init.strict: expected true or false, found 'maybe'"),
            ("freeze:\n  parts: stem\n", "freeze.parts: expected a list of names, such as [stem, layer1], found 'stem'"),
            ("freeze:\n  parts: [stem, [layer1]]\n", "freeze.parts[1]: expected a string, found a list"),
            ("optimizer:\n  layer_decay: 1.5\n", "optimizer.layer_decay: expected a number >= 0 and <= 1, or null, found '1.5'"),
            ("optimizer:\n  lr_multipliers: [stem]\n",
             "optimizer.lr_multipliers: expected a mapping from part names or globs to multipliers, such as "
                + "{stem: 0.1, layer1: 0.5}, found a list"),
            ("optimizer:\n  lr_multipliers: {stem: -1}\n", "optimizer.lr_multipliers.stem: expected a number >= 0, found '-1'"),
        ]
        for (yaml, message) in cases {
            let error = try #require(parseError(yaml), "\(yaml) should not load")
            #expect(error.description.hasSuffix(message), "\(error)")
            #expect(error.line == 2, "\(error)")
        }
    }
}
