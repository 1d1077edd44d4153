import CPUBackend
import Experiments
import Foundation
import Recipes
import TensorCore
import Testing
import Training

/// An experiment run that is stopped and run again finishes only what was left, leaving finished runs untouched.
@Suite(.serialized) struct ExperimentRunTests {
    static let backend = CPUBackend(threads: 2)

    func modificationDate(_ url: URL) throws -> Date? {
        try FileManager.default.attributesOfItem(atPath: url.path)[.modificationDate] as? Date
    }

    @Test func interruptedExperimentResumesAndFinishesOnlyWhatWasLeft() throws {
        let folder = try temporaryFolder("experiment-run")
        defer { try? FileManager.default.removeItem(at: folder) }
        try write(tinyRecipeYAML, to: "tiny.yaml", in: folder)
        let file = try write("""
            name: tiny
            recipe: tiny.yaml
            seeds: [0, 1]
            cells:
              base: {}
              smooth: {loss.label_smoothing: 0.1}
            """, to: "tiny-experiment.yaml", in: folder)
        let plan = try ExperimentLoader(knownModels: [], presets: nil).load(file: file)
        let output = folder.appendingPathComponent("runs")
        let runs = plan.runs(in: output)
        #expect(runs.map(\.label) == ["base seed 0", "base seed 1", "smooth seed 0", "smooth seed 1"])

        let stop = StopRequest(listensToSignals: false)
        let first = ExperimentRunner(plan: plan, output: output, stopRequest: stop)
        first.prepare = { _ in Compute.use(Self.backend) }
        var statusLines: [String] = []
        first.status = { statusLines.append($0) }
        first.observers.append { run, event in
            if run.label == "base seed 1", case .stepEnd(let step, _, _) = event, step == 1 {
                stop.request(reason: "test")
            }
        }
        let stopped = try first.run()
        #expect(stopped == ExperimentRunner.Outcome(skipped: 0, completed: 1, resumed: 0, stopped: true))
        #expect(statusLines.count == 4, "a start and an end line for each of the two runs begun")
        #expect(statusLines.last?.contains("base seed 1: stopped by test after step 1") == true)
        guard case .finished = try runs[0].state() else {
            Issue.record("the first run should be finished")
            return
        }
        #expect(try runs[1].state() == .interrupted)
        #expect(!FileManager.default.fileExists(atPath: runs[2].folder.url.path), "no run starts after a stop")
        #expect(try runs[3].state() == .notStarted)

        let firstFiles = [runs[0].folder.summaryURL, runs[0].folder.logURL, runs[0].folder.checkpoints.modelURL(.last)]
        let contents = try firstFiles.map { try Data(contentsOf: $0) }
        let dates = try firstFiles.map(modificationDate)

        let second = ExperimentRunner(plan: plan, output: output, stopRequest: StopRequest(listensToSignals: false))
        second.prepare = { _ in Compute.use(Self.backend) }
        var resumedSteps: [Int] = []
        second.observers.append { run, event in
            if run.label == "base seed 1", case .stepEnd(let step, _, _) = event { resumedSteps.append(step) }
        }
        second.status = { _ in }
        let finished = try second.run()
        #expect(finished == ExperimentRunner.Outcome(skipped: 1, completed: 3, resumed: 1, stopped: false))
        #expect(resumedSteps == [2, 3], "the interrupted run continues after its checkpoint's step")
        #expect(try firstFiles.map { try Data(contentsOf: $0) } == contents, "the finished run is not touched")
        #expect(try firstFiles.map(modificationDate) == dates)
        for run in runs {
            guard case let .finished(final) = try run.state() else {
                Issue.record("\(run.label) should be finished")
                continue
            }
            #expect(final.epoch == 0 && final.evalTop1 != nil)
        }

        let third = ExperimentRunner(plan: plan, output: output, stopRequest: StopRequest(listensToSignals: false))
        third.status = { _ in }
        #expect(try third.run() == ExperimentRunner.Outcome(skipped: 4, completed: 0, resumed: 0, stopped: false))

        let report = ExperimentReport(plan: plan, output: output)
        #expect(report.cells.map(\.top1.count) == [2, 2])
        #expect(report.delta(of: report.cells[1])?.count == 2)

        var changed = runs[0]
        var recipe = changed.recipe
        recipe.schedule.epochs = 2
        changed = ExperimentRun(cell: changed.cell, seed: changed.seed, recipe: recipe, folder: changed.folder)
        #expect(throws: ExperimentRunError.self) { try changed.state() }
    }
}
