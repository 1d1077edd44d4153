import CPUBackend
import Experiments
import Foundation
import Recipes
import TensorCore
import Testing
import Training

/// Cells that start from an earlier cell's run (`cell:<name>`) and cells with a recipe of their own.
@Suite(.serialized) struct CellReferenceTests {
    static let backend = CPUBackend(threads: 2)

    func plan(_ yaml: String, in folder: URL) throws -> ExperimentPlan {
        try write(tinyRecipeYAML, to: "tiny.yaml", in: folder)
        try write(tinyRecipeYAML.replacingOccurrences(of: "width: 0.25", with: "width: 0.125"), to: "narrow.yaml",
                  in: folder)
        let file = try write(yaml, to: "x.yaml", in: folder)
        return try ExperimentLoader(knownModels: [], presets: nil).load(file: file)
    }

    @Test func referencesParseWithAnOptionalCheckpointAndPathsAreNotReferences() throws {
        #expect(try CellReference.parse("cell:pretrain") == CellReference(cell: "pretrain"))
        #expect(try CellReference.parse("cell:pretrain:last") == CellReference(cell: "pretrain", checkpoint: .last))
        #expect(try CellReference.parse("cell:pretrain:best") == CellReference(cell: "pretrain", checkpoint: .best))
        #expect(try CellReference.parse("runs/pretrain") == nil)
        #expect(try CellReference.parse(nil) == nil)
        for bad in ["cell:", "cell:pretrain:middle", "cell:a:best:x"] {
            #expect(throws: CellReferenceSyntaxError(text: bad)) { try CellReference.parse(bad) }
        }
    }

    @Test func aReferenceBecomesTheSameSeedsRunFolderAndADependency() throws {
        let folder = try temporaryFolder("cell-reference")
        defer { try? FileManager.default.removeItem(at: folder) }
        let plan = try plan("""
            name: x
            recipe: tiny.yaml
            seeds: [3, 4]
            cells:
              pretrain: {}
              continue: {init.from: "cell:pretrain:last"}
              distil: {init.checkpoint: last, init.from: "cell:pretrain", loss.distillation_teacher: "cell:continue"}
              narrow: {recipe: narrow.yaml, loss.label_smoothing: 0.1}
            """, in: folder)
        let output = URL(fileURLWithPath: "/out")
        let runs = plan.runs(in: output)
        #expect(runs.map(\.dependencies) == [[], [], ["pretrain"], ["pretrain"], ["pretrain", "continue"],
                                             ["pretrain", "continue"], [], []])
        #expect(runs[3].recipe.initialization.from == "/out/pretrain/seed-4")
        #expect(runs[3].recipe.initialization.checkpoint == .last)
        #expect(runs[4].recipe.initialization.from == "/out/pretrain/seed-3")
        #expect(runs[4].recipe.initialization.checkpoint == .last, "no checkpoint in the reference keeps init.checkpoint")
        #expect(runs[4].recipe.loss.distillationTeacher == "/out/continue/seed-3/checkpoints/best")
        #expect(plan.cellRecipes[3].model.width == 0.125 && plan.cellRecipes[0].model.width == 0.25)
        #expect(plan.experiment.cells[3].factors == "recipe=narrow.yaml, loss.label_smoothing=0.1")
    }

    @Test func aReferenceToALaterOrUnknownCellOrAMalformedOneIsAnErrorAtItsKey() throws {
        let folder = try temporaryFolder("cell-reference-errors")
        defer { try? FileManager.default.removeItem(at: folder) }
        let later = try #require(throws: ExperimentError.self) {
            try plan("""
                name: x
                recipe: tiny.yaml
                seeds: [0]
                cells:
                  continue: {init.from: "cell:pretrain"}
                  pretrain: {}
                """, in: folder)
        }
        #expect(later.keyPath == "cells.continue.init.from" && later.line == 5 && later.column == 14)
        #expect(later.message.contains("names no earlier cell") && later.message.contains("none comes before 'continue'"))
        let malformed = try #require(throws: ExperimentError.self) {
            try plan("""
                name: x
                recipe: tiny.yaml
                seeds: [0]
                cells:
                  pretrain: {}
                  distil: {loss.distillation_teacher: "cell:pretrain:middle"}
                """, in: folder)
        }
        #expect(malformed.keyPath == "cells.distil.loss.distillation_teacher" && malformed.line == 6)
        #expect(malformed.message.contains("expected cell:<name>, cell:<name>:best or cell:<name>:last"))
        let recipe = try #require(throws: ExperimentError.self) {
            try plan("name: x\nrecipe: tiny.yaml\nseeds: [0]\ncells:\n  a: {}\n  b: {recipe: absent.yaml}", in: folder)
        }
        #expect(recipe.keyPath == "cells.b.recipe" && recipe.line == 6 && recipe.message.contains("no recipe file at"))
    }

    @Test func aDependentCellWaitsForItsSourceAndAZeroEpochCellEvaluatesItsWeights() throws {
        let folder = try temporaryFolder("cell-reference-run")
        defer { try? FileManager.default.removeItem(at: folder) }
        let plan = try plan("""
            name: x
            recipe: tiny.yaml
            seeds: [0]
            cells:
              train: {}
              evaluate: {init.from: "cell:train:last", schedule.epochs: 0}
              recalibrated: {init.from: "cell:train:last", schedule.epochs: 0, run.recalibrate_bn: 2}
            """, in: folder)
        let output = folder.appendingPathComponent("runs")
        func runner() -> ExperimentRunner {
            let runner = ExperimentRunner(plan: plan, output: output, stopRequest: StopRequest(listensToSignals: false))
            runner.prepare = { _ in Compute.use(Self.backend) }
            runner.status = { _ in }
            return runner
        }
        #expect(throws: ExperimentRunError.self) { try runner().run(only: ["evaluate"]) }
        #expect(try runner().run() == ExperimentRunner.Outcome(completed: 3))
        let report = ExperimentReport(plan: plan, output: output)
        let top1 = report.cells.map { $0.top1BySeed[0] }
        #expect(top1[0] != nil && top1[1] == top1[0], "the same weights on the same test images: the same top-1")
        #expect(top1[2] != nil)
        let log = try String(contentsOf: output.appendingPathComponent("recalibrated/seed-0/log.txt"), encoding: .utf8)
        #expect(log.contains("batch norms recalibrated (run.recalibrate_bn): "))
    }
}
