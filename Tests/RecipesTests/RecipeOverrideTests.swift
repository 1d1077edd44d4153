import Testing
@testable import Recipes

@Suite struct RecipeOverrideTests {
    @Test func overridesSetNestedKeysOverTheFile() throws {
        let recipe = try parse("schedule:\n  epochs: 5\n", overrides: [
            "schedule.epochs=20", "model.stem=small-image", "optimizer.lr=0.05", "data.horizontal_flip=false",
            "seed=42", "run.precision=bf16", "data.random_erasing=0.25", "data.random_erasing_mode=const",
        ])
        #expect(recipe.data.randomErasing == 0.25)
        #expect(recipe.data.randomErasingMode == .const)
        #expect(recipe.schedule.epochs == 20)
        #expect(recipe.model.stem == .smallImage)
        #expect(recipe.optimizer.learningRate == 0.05)
        #expect(!recipe.data.horizontalFlip)
        #expect(recipe.seed == 42)
        #expect(recipe.run.precision == .bf16)
    }

    @Test func overridesApplyWithoutAFile() throws {
        let recipe = try loader.load(file: nil, overrides: ["model.width=0.25"])
        var expected = Recipe()
        expected.model.width = 0.25
        #expect(recipe == expected)
    }

    @Test func laterOverrideWins() throws {
        let recipe = try parse("", overrides: ["schedule.epochs=3", "schedule.epochs=4"])
        #expect(recipe.schedule.epochs == 4)
    }

    @Test func listOverrideUsesFlowSyntax() throws {
        let recipe = try parse("", overrides: ["schedule.milestones=[5,8]"])
        #expect(recipe.schedule.milestones == [5, 8])
        let empty = try parse("", overrides: ["schedule.milestones=[]"])
        #expect(empty.schedule.milestones == [])
    }

    @Test func nullOrEmptyOverrideClearsAnOptionalChoice() throws {
        let file = "model:\n  stem: deep\n  downsample: average-pool\n"
        let recipe = try parse(file, overrides: ["model.stem=null", "model.downsample="])
        #expect(recipe.model.stem == nil)
        #expect(recipe.model.downsample == nil)
    }

    @Test func sectionOverrideTakesAFlowMappingAndSetsOnlyItsKeys() throws {
        let recipe = try parse("model:\n  norm: group\n", overrides: ["model={name: resnet50, width: 0.5}"])
        #expect(recipe.model.name == "resnet50")
        #expect(recipe.model.width == 0.5)
        #expect(recipe.model.norm == .group)
    }

    @Test func stringOverrideKeepsItsText() throws {
        let recipe = try parse("", overrides: ["data.path=/tmp/my data/fashion"])
        #expect(recipe.data.path == "/tmp/my data/fashion")
    }

    @Test func unknownOverrideKeyNamesTheOverrideAndListsValidKeys() throws {
        let error = try #require(parseError("", overrides: ["schedule.lr_sceduler=3"]))
        #expect(error.description == "--set schedule.lr_sceduler=3: schedule.lr_sceduler: unknown key 'lr_sceduler' "
            + "in 'schedule'; valid keys: epochs, warmup_epochs, warmup_start_lr, decay, min_lr, step_epochs, "
            + "milestones, gamma, power")
        #expect(error.line == nil && error.column == nil)
        let section = try #require(parseError("", overrides: ["modle.name=resnet50"]))
        #expect(section.description.hasPrefix("--set modle.name=resnet50: modle: unknown key 'modle' at the top level"))
        #expect(section.description.hasSuffix("did you mean 'model'?"))
    }

    @Test func overrideValueIsValidatedLikeAFileValue() throws {
        let error = try #require(parseError("", overrides: ["model.stem=wide"]))
        #expect(error.description == "--set model.stem=wide: model.stem: 'wide' is not a valid choice; "
            + "expected one of classic, deep, small-image, or null")
        let typed = try #require(parseError("", overrides: ["schedule.epochs=ten"]))
        #expect(typed.description == "--set schedule.epochs=ten: schedule.epochs: expected an integer >= 0, found 'ten'")
        let list = try #require(parseError("", overrides: ["schedule.milestones=[8,5]"]))
        #expect(list.description == "--set schedule.milestones=[8,5]: schedule.milestones[1]: "
            + "expected increasing values, but 5 follows 8")
    }

    @Test func malformedOverridesAreRejected() throws {
        let noEquals = try #require(parseError("", overrides: ["schedule.epochs"]))
        #expect(noEquals.description == "--set schedule.epochs: expected key=value, such as --set schedule.epochs=20")
        let intoValue = try #require(parseError("", overrides: ["seed.value=3"]))
        #expect(intoValue.description == "--set seed.value=3: seed: 'seed' is a value, not a section; "
            + "it has no key 'value'")
        let badYAML = try #require(parseError("", overrides: ["schedule.milestones=[5,8"]))
        #expect(badYAML.source == "--set schedule.milestones=[5,8")
        #expect(badYAML.line == nil && badYAML.message.hasPrefix("invalid YAML: "))
    }

    @Test func fileErrorsComeBeforeOverrides() throws {
        let error = try #require(parseError("schedule:\n  epochs: ten\n", overrides: ["schedule.epochs=3"]))
        #expect(error.source == "recipes/test.yaml")
    }
}
