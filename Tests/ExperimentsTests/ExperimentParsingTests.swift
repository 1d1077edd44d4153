import Experiments
import Foundation
import Recipes
import Testing

struct ExperimentParsingTests {
    let loader = ExperimentLoader(knownModels: [], presets: nil)

    @Test func cellsFileGivesNamedCellsWithTheirOverridesSeedsAndBaseline() throws {
        let experiment = try loader.parse(yaml: """
            # header comment
            name: tricks
            recipe: base.yaml
            set: [schedule.epochs=8, data.train_limit=10000]
            seeds: [0, 1, 2]
            baseline: baseline
            cells:
              baseline: {}
              label-smoothing: {loss.label_smoothing: 0.1}
              crop:
                data.scale: [0.35, 1.0]
                data.path: '10'
              narrow: {model: {width: 0.5, stem: deep}}
            """, source: "tricks.yaml")
        #expect(experiment.name == "tricks")
        #expect(experiment.recipe == "base.yaml")
        #expect(experiment.overrides == ["schedule.epochs=8", "data.train_limit=10000"])
        #expect(experiment.seeds == [0, 1, 2])
        #expect(experiment.baseline == "baseline")
        #expect(experiment.cells.map(\.name) == ["baseline", "label-smoothing", "crop", "narrow"])
        #expect(experiment.cells[0].overrides.isEmpty)
        #expect(experiment.cells[1].overrides.map(\.text) == ["loss.label_smoothing=0.1"])
        #expect(experiment.cells[2].overrides.map(\.text) == ["data.scale=[0.35, 1.0]", "data.path='10'"])
        #expect(experiment.cells[3].overrides.map(\.text) == ["model={width: 0.5, stem: deep}"])
    }

    @Test func baselineDefaultsToTheFirstCell() throws {
        let experiment = try loader.parse(yaml: "name: x\nrecipe: r.yaml\nseeds: [4]\ncells: {a: {}, b: {seed_like: 1}}",
                                          source: "x.yaml")
        #expect(experiment.baseline == "a")
        #expect(experiment.seeds == [4])
    }

    @Test func gridGivesEveryCombinationNamedFromItsValuesFirstKeySlowest() throws {
        let experiment = try loader.parse(yaml: """
            name: grid
            recipe: base.yaml
            seeds: [0]
            baseline: label_smoothing=0,mixup=0
            grid:
              loss.label_smoothing: [0, 0.1]
              data.mixup: [0, 0.2, 0.4]
            """, source: "grid.yaml")
        #expect(experiment.cells.map(\.name) == [
            "label_smoothing=0,mixup=0", "label_smoothing=0,mixup=0.2", "label_smoothing=0,mixup=0.4",
            "label_smoothing=0.1,mixup=0", "label_smoothing=0.1,mixup=0.2", "label_smoothing=0.1,mixup=0.4",
        ])
        #expect(experiment.cells[4].overrides.map(\.text) == ["loss.label_smoothing=0.1", "data.mixup=0.2"])
    }

    @Test func gridKeysSharingALastComponentAreNamedInFull() throws {
        let experiment = try loader.parse(yaml: """
            name: g
            recipe: base.yaml
            seeds: [0]
            grid: {data.image_size: [32], model.image_size: [64]}
            """, source: "g.yaml")
        #expect(experiment.cells.map(\.name) == ["data.image_size=32,model.image_size=64"])
    }

    @Test func unknownTopLevelKeyIsAnErrorListingTheValidOnes() throws {
        let error = try #require(throws: ExperimentError.self) {
            try loader.parse(yaml: "name: x\nrecipe: r.yaml\nseed: [0]\ncells: {a: {}}", source: "x.yaml")
        }
        #expect(error.line == 3)
        #expect(error.description.hasPrefix("x.yaml:3:1: unknown key 'seed' at the top level; valid keys: name, recipe, "
                                            + "set, seeds, baseline, cells, grid"))
    }

    @Test func cellsAndGridTogetherAreRefused() throws {
        let error = try #require(throws: ExperimentError.self) {
            try loader.parse(yaml: "name: x\nrecipe: r.yaml\nseeds: [0]\ncells: {a: {}}\ngrid: {seed_x: [1]}",
                             source: "x.yaml")
        }
        #expect(error.keyPath == "grid")
        #expect(error.message.contains("either 'cells' or 'grid'"))
    }

    @Test func baselineThatIsNotACellIsAnErrorListingTheCells() throws {
        let error = try #require(throws: ExperimentError.self) {
            try loader.parse(yaml: "name: x\nrecipe: r.yaml\nseeds: [0]\nbaseline: base\ncells: {a: {}, b: {}}",
                             source: "x.yaml")
        }
        #expect(error.description == "x.yaml:4:11: baseline: 'base' is not a cell; expected one of a, b")
    }

    @Test func missingSeedsRepeatedSeedsAndACellSeedAreErrorsNamingTheKey() throws {
        let missing = try #require(throws: ExperimentError.self) {
            try loader.parse(yaml: "name: x\nrecipe: r.yaml\ncells: {a: {}}", source: "x.yaml")
        }
        #expect(missing.message.contains("missing key 'seeds'"))
        let repeated = try #require(throws: ExperimentError.self) {
            try loader.parse(yaml: "name: x\nrecipe: r.yaml\nseeds: [1, 1]\ncells: {a: {}}", source: "x.yaml")
        }
        #expect(repeated.keyPath == "seeds[1]")
        let quoted = try #require(throws: ExperimentError.self) {
            try loader.parse(yaml: "name: x\nrecipe: r.yaml\nseeds: ['1']\ncells: {a: {}}", source: "x.yaml")
        }
        #expect(quoted.keyPath == "seeds[0]")
        let cellSeed = try #require(throws: ExperimentError.self) {
            try loader.parse(yaml: "name: x\nrecipe: r.yaml\nseeds: [0]\ncells:\n  a: {seed: 3}", source: "x.yaml")
        }
        #expect(cellSeed.keyPath == "cells.a.seed")
        #expect(cellSeed.line == 5)
    }

    @Test func cellNameThatCannotBeAFolderIsRefused() throws {
        let error = try #require(throws: ExperimentError.self) {
            try loader.parse(yaml: "name: x\nrecipe: r.yaml\nseeds: [0]\ncells:\n  a/b: {}", source: "x.yaml")
        }
        #expect(error.line == 5)
        #expect(error.message.contains("cannot be a folder name"))
    }
}
