import Foundation
import Recipes
import Training

/// One cell trained with one seed: its recipe and its run folder.
public struct ExperimentRun: Sendable {
    public let cell: ExperimentCell
    public let seed: UInt64
    /// The cell's recipe with `seed` set.
    public let recipe: Recipe
    public let folder: RunFolder
    /// The earlier cells whose run with this seed this run starts from or learns from (`cell:` references).
    public let dependencies: [String]

    public init(cell: ExperimentCell, seed: UInt64, recipe: Recipe, folder: RunFolder, dependencies: [String] = []) {
        self.cell = cell
        self.seed = seed
        self.recipe = recipe
        self.folder = folder
        self.dependencies = dependencies
    }

    /// How far a run got, as its folder shows.
    public enum State: Sendable, Equatable {
        /// No folder, or one without a checkpoint to resume (started fresh).
        case notStarted
        /// A checkpoint to resume from, and epochs still to train.
        case interrupted
        /// Every epoch in summary.csv and a final evaluation.
        case finished(RunSummary.Row)
    }

    /// The run's state; a folder whose recipe is not this run's is an error, never silently reused or overwritten.
    public func state() throws(ExperimentRunError) -> State {
        let fileManager = FileManager.default
        guard fileManager.fileExists(atPath: folder.url.path) else { return .notStarted }
        if fileManager.fileExists(atPath: folder.recipeURL.path) && !folder.holdsRun(of: recipe) {
            throw .recipeChanged(folder: folder.url.path, cell: cell.name, seed: seed)
        }
        if let summary = RunSummary(contentsOf: folder.summaryURL),
           let final = summary.finalRow(epochs: recipe.schedule.epochs) {
            return .finished(final)
        }
        return folder.checkpoints.exists(.last) ? .interrupted : .notStarted
    }

    /// `mixup seed 1`, as status lines name a run.
    public var label: String { "\(cell.name) seed \(seed)" }
}

/// Why an experiment's runs could not go on.
public enum ExperimentRunError: Error, CustomStringConvertible, Equatable {
    /// A run folder holds a run of another recipe: the experiment file (or its recipe) changed since.
    case recipeChanged(folder: String, cell: String, seed: UInt64)
    /// A run starts from an earlier cell's run that has not finished.
    case dependencyUnfinished(cell: String, seed: UInt64, dependency: String, folder: String)

    public var description: String {
        switch self {
        case let .recipeChanged(folder, cell, seed):
            "\(folder): its recipe.yaml differs from cell '\(cell)' seed \(seed) of the experiment as it is now "
                + "(the experiment file or its recipe changed since the run began); remove the folder to run it "
                + "again, or restore the experiment"
        case let .dependencyUnfinished(cell, seed, dependency, folder):
            "cell '\(cell)' seed \(seed) starts from cell '\(dependency)' seed \(seed), which has not finished "
                + "(expected a finished run in \(folder)); run the experiment without --only, or with --only \(dependency) first"
        }
    }
}
