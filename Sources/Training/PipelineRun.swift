import Foundation
import Recipes

/// Runs a pipeline's stages in order into their run folders, skipping finished stages and resuming an interrupted one.
///
/// A stage's folder holds its `recipe.yaml`. No folder (or one without a checkpoint yet):
/// the stage starts. A `last` checkpoint that has done all the recipe's epochs: the stage
/// is finished and skipped. Otherwise it is resumed from `last`, bit-exactly as
/// `hone train --resume`. A folder whose recipe differs from the stage's (the pipeline
/// file was edited) is an error rather than a silent mix of two experiments. A stop
/// request ends the stage after saving, and the pipeline with it.
public struct PipelineRun {
    /// Where a stage stands.
    public enum StageState: Equatable, Sendable {
        /// Not started: no checkpoint in its folder.
        case pending
        /// Started, stopped before its last epoch.
        case interrupted(epoch: Int, step: Int)
        /// Every epoch done.
        case finished
    }

    /// What became of one stage in this session.
    public struct StageOutcome: Sendable {
        public var name: String
        /// True when the stage was already finished and did not run.
        public var skipped: Bool
        /// The stage's result when it ran.
        public var result: Trainer.Result?
    }

    public let pipeline: Pipeline

    public init(pipeline: Pipeline) {
        self.pipeline = pipeline
    }

    /// The state of `stage`'s folder; throws when the folder was run with another recipe.
    public func state(of stage: Pipeline.Stage) throws -> StageState {
        let folder = RunFolder(url: pipeline.folder(of: stage.name))
        guard FileManager.default.fileExists(atPath: folder.recipeURL.path) else { return .pending }
        guard folder.holdsRun(of: stage.recipe) else {
            throw PipelineRunError.recipeChanged(stage: stage.name, folder: folder.url.path)
        }
        guard folder.checkpoints.exists(.last) else { return .pending }
        let progress = try folder.checkpoints.load(.last).progress
        return progress.epoch >= stage.recipe.schedule.epochs
            ? .finished : .interrupted(epoch: progress.epoch, step: progress.step)
    }

    /// Runs every stage that is not finished; `prepare` is called with a stage's recipe before it trains (to pick a
    /// backend). Stops after the stage a stop request interrupted.
    public func run(stopRequest: StopRequest, display: ProgressDisplay,
                    prepare: (Pipeline.Stage) -> Void = { _ in }) throws -> [StageOutcome] {
        var outcomes: [StageOutcome] = []
        for (index, stage) in pipeline.stages.enumerated() {
            let state = try state(of: stage)
            let place = "stage \(index + 1)/\(pipeline.stages.count) '\(stage.name)'"
            if state == .finished {
                display.line("\(place): finished earlier, skipped")
                outcomes.append(StageOutcome(name: stage.name, skipped: true, result: nil))
                continue
            }
            let resume: Bool
            if case let .interrupted(epoch, step) = state {
                display.line("\(place): resuming from step \(step) (epoch \(epoch + 1))")
                resume = true
            } else {
                display.line("\(place): starting" + (stage.startsFrom.map { " from stage '\($0)'" } ?? ""))
                resume = false
            }
            prepare(stage)
            let trainer = try Trainer(recipe: stage.recipe, folder: RunFolder(url: pipeline.folder(of: stage.name)),
                                      resume: resume, stopRequest: stopRequest, display: display)
            let result = try trainer.run()
            outcomes.append(StageOutcome(name: stage.name, skipped: false, result: result))
            if result.stoppedEarly { break }
        }
        return outcomes
    }
}

/// Why a pipeline cannot continue in its output folder.
public enum PipelineRunError: Error, CustomStringConvertible, Equatable {
    case recipeChanged(stage: String, folder: String)

    public var description: String {
        switch self {
        case let .recipeChanged(stage, folder):
            "stage '\(stage)': \(folder) was run with another recipe than the pipeline now gives this stage; "
                + "expected the same recipe.yaml (remove the folder to re-run the stage, or use another --output)"
        }
    }
}
