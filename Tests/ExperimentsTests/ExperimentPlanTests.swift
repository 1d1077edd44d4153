import Experiments
import Foundation
import Recipes
import Testing

/// Loading an experiment validates every cell's recipe before anything runs, and names the cell and key on failure.
struct ExperimentPlanTests {
    func plan(_ yaml: String, presets: PresetLibrary? = nil) throws -> ExperimentPlan {
        let folder = try temporaryFolder("plan")
        defer { try? FileManager.default.removeItem(at: folder) }
        try write(tinyRecipeYAML, to: "recipes/tiny.yaml", in: folder)
        let file = try write(yaml, to: "experiments/x.yaml", in: folder)
        return try ExperimentLoader(knownModels: ["resnet18", "resnet50"], presets: presets).load(file: file)
    }

    @Test func eachCellsRecipeHasTheSharedThenTheCellsOverridesAndEachRunItsSeed() throws {
        let plan = try plan("""
            name: x
            recipe: ../recipes/tiny.yaml
            set: [schedule.epochs=3]
            seeds: [5, 7]
            cells:
              base: {}
              smooth: {loss.label_smoothing: 0.1, schedule.epochs: 4}
            """)
        #expect(plan.cellRecipes.map(\.schedule.epochs) == [3, 4])
        #expect(plan.cellRecipes.map(\.loss.labelSmoothing) == [0, 0.1])
        #expect(plan.cellRecipes[0].model.width == 0.25)
        let runs = plan.runs(in: URL(fileURLWithPath: "/out"))
        #expect(runs.map(\.label) == ["base seed 5", "base seed 7", "smooth seed 5", "smooth seed 7"])
        #expect(runs.map(\.recipe.seed) == [5, 7, 5, 7])
        #expect(runs[3].folder.url.path == "/out/smooth/seed-7")
        #expect(plan.runs(in: URL(fileURLWithPath: "/out"), only: ["smooth"]).count == 2)
    }

    @Test func nestedMappingInACellSetsOnlyTheKeysItGives() throws {
        let plan = try plan("name: x\nrecipe: ../recipes/tiny.yaml\nseeds: [0]\ncells:\n  a: {}\n  b: {model: {width: 0.5}}")
        #expect(plan.cellRecipes.map(\.model.width) == [0.25, 0.5])
        #expect(plan.cellRecipes[1].model.name == "resnet18")
    }

    @Test func misspeltKeyInACellFailsAtOnceNamingTheCellAndTheKey() throws {
        let error = try #require(throws: ExperimentError.self) {
            try plan("""
                name: x
                recipe: ../recipes/tiny.yaml
                seeds: [0]
                cells:
                  base: {}
                  mixup: {data.mixupp: 0.2}
                """)
        }
        #expect(error.keyPath == "cells.mixup")
        #expect(error.line == 6 && error.column == 11)
        #expect(error.message.hasPrefix("data.mixupp: unknown key 'mixupp' in 'data'"))
        #expect(error.message.contains("did you mean 'mixup'?"))
    }

    @Test func badValueInSetIsReportedAtItsEntry() throws {
        let error = try #require(throws: ExperimentError.self) {
            try plan("name: x\nrecipe: ../recipes/tiny.yaml\nset: [schedule.epochs=8, data.mixup=-1]\nseeds: [0]\ncells: {a: {}}")
        }
        #expect(error.keyPath == "set[1]")
        #expect(error.line == 3)
        #expect(error.message.hasPrefix("data.mixup: expected"))
    }

    @Test func gridValueOfTheWrongTypeNamesTheCell() throws {
        let error = try #require(throws: ExperimentError.self) {
            try plan("name: x\nrecipe: ../recipes/tiny.yaml\nseeds: [0]\ngrid:\n  schedule.epochs: [2, many]")
        }
        #expect(error.keyPath == "cells.epochs=many")
        #expect(error.line == 5)
        #expect(error.message.contains("schedule.epochs: expected an integer"))
    }

    @Test func presetNameIsLookedUpAndAMisspeltOneSuggested() throws {
        let folder = try temporaryFolder("presets")
        defer { try? FileManager.default.removeItem(at: folder) }
        try write(tinyRecipeYAML, to: "tiny-preset.yaml", in: folder)
        let presets = PresetLibrary(folder: folder)
        let found = try plan("name: x\nrecipe: tiny-preset\nseeds: [0]\ncells: {a: {}}", presets: presets)
        #expect(found.cellRecipes[0].model.width == 0.25)
        let error = try #require(throws: ExperimentError.self) {
            try plan("name: x\nrecipe: tiny-prest\nseeds: [0]\ncells: {a: {}}", presets: presets)
        }
        #expect(error.keyPath == "recipe" && error.line == 2)
        #expect(error.message.contains("did you mean 'tiny-preset'?"))
    }

    @Test func missingRecipeFileIsReportedAtTheRecipeKey() throws {
        let error = try #require(throws: ExperimentError.self) {
            try plan("name: x\nrecipe: ../recipes/absent.yaml\nseeds: [0]\ncells: {a: {}}")
        }
        #expect(error.keyPath == "recipe")
        #expect(error.message.contains("no recipe file at"))
    }
}
