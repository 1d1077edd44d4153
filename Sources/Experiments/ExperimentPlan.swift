import Foundation
import Recipes
import Training

/// An experiment with every cell's recipe loaded: what `run` trains and `report` reads.
///
/// Each run's recipe is its cell's recipe with `seed` set; each run has its own folder,
/// `<output>/<cell>/seed-<seed>/`, a complete `hone train` run folder, so any run can
/// also be inspected, evaluated or resumed on its own.
public struct ExperimentPlan: Sendable {
    public let experiment: Experiment
    /// The recipe file the cells start from.
    public let recipeURL: URL
    /// Each cell's recipe, seed aside, in cell order.
    public let cellRecipes: [Recipe]

    public init(experiment: Experiment, recipeURL: URL, cellRecipes: [Recipe]) {
        precondition(cellRecipes.count == experiment.cells.count, "one recipe per cell")
        self.experiment = experiment
        self.recipeURL = recipeURL
        self.cellRecipes = cellRecipes
    }

    /// The folder runs go to when no `--output` is given: `runs/experiments/<name>`.
    public var defaultOutput: URL {
        URL(fileURLWithPath: "runs/experiments").appendingPathComponent(experiment.name)
    }

    /// Every cell × seed run under `output`, cell by cell, limited to the cells named in `only` when it is not empty.
    ///
    /// A `cell:` reference in a cell's `init.from` or `loss.distillation_teacher` becomes the
    /// referenced cell's run folder with the same seed (a teacher reads its checkpoint folder).
    public func runs(in output: URL, only: [String] = []) -> [ExperimentRun] {
        zip(experiment.cells, cellRecipes).filter { only.isEmpty || only.contains($0.0.name) }.flatMap { cell, recipe in
            experiment.seeds.map { seed in
                var seeded = recipe
                seeded.seed = seed
                var dependencies: [String] = []
                if let reference = try? CellReference.parse(recipe.initialization.from) {
                    seeded.initialization.from = reference.folder(in: output, seed: seed).path
                    seeded.initialization.checkpoint = reference.checkpoint ?? recipe.initialization.checkpoint
                    dependencies.append(reference.cell)
                }
                if let reference = try? CellReference.parse(recipe.loss.distillationTeacher) {
                    seeded.loss.distillationTeacher = reference.checkpointFolder(in: output, seed: seed).path
                    dependencies.append(reference.cell)
                }
                let folder = output.appendingPathComponent(cell.name).appendingPathComponent("seed-\(seed)")
                return ExperimentRun(cell: cell, seed: seed, recipe: seeded, folder: RunFolder(url: folder),
                                     dependencies: dependencies)
            }
        }
    }
}
