import Foundation
import Recipes
import Training

/// Trains an experiment's runs one after the other, in this process, skipping finished runs and resuming interrupted ones.
///
/// A run's folder says how far it got (`ExperimentRun.State`): finished runs are left
/// untouched, a run with a checkpoint resumes exactly through the trainer's resume, and
/// anything else starts afresh. A stop request (SIGINT) ends the run in flight after its
/// checkpoint and starts no further run, so running the experiment again finishes only
/// what was left. The compute backend is the caller's choice (`prepare` runs before each
/// training run), since only the command line picks a concrete backend.
public final class ExperimentRunner {
    /// What one call of `run` did.
    public struct Outcome: Sendable, Equatable {
        /// Runs found finished and left alone.
        public var skipped = 0
        /// Runs trained to the end in this call (resumed ones included).
        public var completed = 0
        /// Runs that continued from a checkpoint.
        public var resumed = 0
        /// True when a stop request ended the call before every run was finished.
        public var stopped = false

        public init(skipped: Int = 0, completed: Int = 0, resumed: Int = 0, stopped: Bool = false) {
            self.skipped = skipped
            self.completed = completed
            self.resumed = resumed
            self.stopped = stopped
        }
    }

    public let plan: ExperimentPlan
    public let output: URL
    public let stopRequest: StopRequest
    /// The display each training run reports its steps and epochs to.
    public var makeDisplay: () -> ProgressDisplay = { ProgressDisplay(isTerminal: false, output: { _ in }) }
    /// Called with a run's recipe before it trains: sets up the compute backend it asks for.
    public var prepare: (Recipe) -> Void = { _ in }
    /// Receives one status line per run (skipped, starting, done, stopped).
    public var status: (String) -> Void = { print($0) }
    /// Observers of every training run's events, told which run they come from.
    public var observers: [(ExperimentRun, TrainingEvent) -> Void] = []

    public init(plan: ExperimentPlan, output: URL, stopRequest: StopRequest) {
        self.plan = plan
        self.output = output
        self.stopRequest = stopRequest
    }

    /// Runs every run of the cells in `only` (all cells when empty) that is not finished yet.
    public func run(only: [String] = []) throws -> Outcome {
        let runs = plan.runs(in: output, only: only)
        let states = try runs.map { run throws(ExperimentRunError) in try run.state() }
        var outcome = Outcome()
        for (index, (run, state)) in zip(runs, states).enumerated() {
            let position = "[\(index + 1)/\(runs.count)] \(run.label)"
            if case let .finished(final) = state {
                outcome.skipped += 1
                status("\(position): finished before, skipped" + Self.describe(final))
                continue
            }
            if stopRequest.isRequested {
                outcome.stopped = true
                break
            }
            try checkDependencies(of: run)
            let resume = state == .interrupted
            if !resume && FileManager.default.fileExists(atPath: run.folder.url.path) {
                try FileManager.default.removeItem(at: run.folder.url)
            }
            status("\(position): \(resume ? "resuming from its last checkpoint" : "training") in \(run.folder.url.path)")
            prepare(run.recipe)
            let trainer = try Trainer(recipe: run.recipe, folder: run.folder, resume: resume, stopRequest: stopRequest,
                                      display: makeDisplay())
            for observer in observers {
                trainer.observers.append { event in observer(run, event) }
            }
            let result = try trainer.run()
            if result.stoppedEarly {
                outcome.stopped = true
                status("\(position): stopped by \(stopRequest.reason ?? "request") after step \(result.steps), "
                       + "checkpoint saved; run the experiment again to continue")
                break
            }
            outcome.completed += 1
            if resume { outcome.resumed += 1 }
            let final = RunSummary(contentsOf: run.folder.summaryURL)?.finalRow(epochs: run.recipe.schedule.epochs)
            status("\(position): done" + (final.map(Self.describe) ?? ""))
        }
        return outcome
    }

    /// Throws unless every run `run` starts from (same seed, an earlier cell) has finished.
    func checkDependencies(of run: ExperimentRun) throws {
        guard !run.dependencies.isEmpty else { return }
        let all = plan.runs(in: output, only: run.dependencies)
        for dependency in run.dependencies {
            guard let source = all.first(where: { $0.cell.name == dependency && $0.seed == run.seed }) else { continue }
            guard case .finished = try source.state() else {
                throw ExperimentRunError.dependencyUnfinished(cell: run.cell.name, seed: run.seed, dependency: dependency,
                                                              folder: source.folder.url.path)
            }
        }
    }

    /// ` (top-1 81.20%, 412 s)` for a run's final row.
    static func describe(_ final: RunSummary.Row) -> String {
        var text = final.evalTop1.map { String(format: " (top-1 %.2f%%", $0) } ?? " ("
        if let wall = final.wallSeconds { text += String(format: ", %.0f s", wall) }
        return text + ")"
    }
}
