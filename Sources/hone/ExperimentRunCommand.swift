import ArgumentParser
import CPUBackend
import Experiments
import Foundation
import Recipes
import TensorCore
import Training

/// `hone experiment run FILE`: trains every cell × seed not finished yet, one after the other, resuming interrupted runs.
struct ExperimentRunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Train every cell × seed of an experiment into <output>/<cell>/seed-<seed>/, skipping finished runs.",
        discussion: "Every cell's recipe is validated before the first run starts. A finished run is skipped, a run "
            + "with a checkpoint is resumed exactly. SIGINT or SIGTERM finishes the current step, saves a checkpoint "
            + "and stops; running the same command again finishes only what was left."
    )

    @Argument(help: "The experiment file (YAML).") var file: String
    @Option(help: "Folder of the runs (default: runs/experiments/<name>).") var output: String?
    @Option(help: "Run only this cell (repeatable).") var only: [String] = []
    @Option(help: "Threads for the CPU kernels (overrides run.threads; 0 = all cores).") var threads: Int?

    func run() throws {
        try CommandFailure.requireSingleProcess("hone experiment run")
        let plan = try ExperimentCommand.loadPlan(file)
        let cellNames = plan.experiment.cells.map(\.name)
        for name in only where !cellNames.contains(name) {
            throw CommandFailure("--only \(name): no such cell; the cells are \(cellNames.joined(separator: ", "))")
        }
        let output = ExperimentCommand.outputFolder(output, plan: plan)
        let runCount = plan.runs(in: output, only: only).count
        print("hone experiment run: \(plan.experiment.name), \(runCount) runs (\(plan.experiment.seeds.count) seeds) "
              + "into \(output.path)")
        let runner = ExperimentRunner(plan: plan, output: output, stopRequest: StopRequest(listensToSignals: true))
        var backends: [String: CPUBackend] = [:]
        let threadOverride = threads
        runner.prepare = { recipe in
            let threadCount = threadOverride ?? recipe.run.threads
            let key = "\(threadCount)-\(recipe.run.convolutionAlgorithm.rawValue)"
            let backend = backends[key] ?? CPUBackend(threads: threadCount > 0 ? threadCount : nil,
                                                      convolutionAlgorithm: ConvolutionAlgorithm(recipe.run.convolutionAlgorithm))
            backends[key] = backend
            Compute.use(backend)
        }
        let onTerminal = isatty(STDOUT_FILENO) != 0
        runner.makeDisplay = {
            onTerminal ? ProgressDisplay() : ProgressDisplay(isTerminal: false, output: { _ in })
        }
        let outcome: ExperimentRunner.Outcome
        do {
            outcome = try runner.run(only: only)
        } catch {
            throw CommandFailure("\(error)")
        }
        var line = "\(outcome.completed) run\(outcome.completed == 1 ? "" : "s") trained"
            + (outcome.resumed > 0 ? " (\(outcome.resumed) resumed)" : "") + ", \(outcome.skipped) already finished"
        if outcome.stopped {
            line += "; stopped: run `hone experiment run \(file)` again to finish the rest"
        } else {
            line += "; all done: `hone experiment report \(file)` makes the table"
        }
        print(line)
    }
}
