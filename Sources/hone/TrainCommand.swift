import ArgumentParser
import CPUBackend
import Foundation
import Models
import Recipes
import TensorCore
import Training

/// `hone train`: trains the model a recipe describes, into a run folder; `--resume` continues one.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a model from a recipe; each run writes a folder with its recipe, log, summary.csv and checkpoints.",
        discussion: "SIGINT or SIGTERM finishes the current step, saves a checkpoint and stops; "
            + "`hone train --resume RUN_DIR` then continues exactly where it stopped."
    )

    @OptionGroup var recipeOptions: RecipeOptions
    @Option(help: "Run folder (default: runs/<model>-<date>-<time>).") var output: String?
    @Option(help: "Continue the run in this folder from its last checkpoint, with its own recipe.") var resume: String?
    @Option(help: "Threads for the CPU kernels (overrides run.threads; 0 = all cores).") var threads: Int?

    func validate() throws {
        if resume != nil && (recipeOptions.recipe != nil || !recipeOptions.overrides.isEmpty || output != nil) {
            throw ValidationError("--resume continues a run with the recipe saved in its folder; "
                                  + "it cannot be combined with --recipe, --set or --output")
        }
    }

    func run() throws {
        let folder: RunFolder
        let recipe: Recipe
        if let resume {
            folder = RunFolder(url: URL(fileURLWithPath: resume))
            recipe = try RecipeOptions(recipe: folder.recipeURL.path, overrides: []).load()
        } else {
            recipe = try recipeOptions.load()
            folder = RunFolder(url: URL(fileURLWithPath: output ?? Self.defaultOutput(model: recipe.model.name)))
        }
        let threadCount = threads ?? recipe.run.threads
        let backend = CPUBackend(threads: threadCount > 0 ? threadCount : nil,
                                 convolutionAlgorithm: ConvolutionAlgorithm(recipe.run.convolutionAlgorithm))
        Compute.use(backend)
        print("hone train: \(folder.url.path) — backend \(backend.name), \(backend.threadCount) threads")
        let trainer: Trainer
        do {
            trainer = try Trainer(recipe: recipe, folder: folder, resume: resume != nil,
                                  stopRequest: StopRequest(listensToSignals: true), display: ProgressDisplay())
        } catch {
            throw CommandFailure("\(error)")
        }
        let result = try trainer.run()
        if let evaluation = result.finalEvaluation, !result.stoppedEarly {
            var line = String(format: "done: top-1 %.2f%%, top-5 %.2f%% on %d images", evaluation.top1, evaluation.top5,
                              evaluation.count)
            if let average = result.finalEMAEvaluation {
                line += String(format: "; weight EMA top-1 %.2f%%, top-5 %.2f%%", average.top1, average.top5)
            }
            line += String(format: "; best top-1 %.2f%%%@; %.0f s of training", result.bestTop1 ?? 0,
                           result.finalEMAEvaluation != nil ? " (EMA, which decides best)" : "", result.trainingSeconds)
            print(line)
        }
    }

    static func defaultOutput(model: String) -> String {
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        return "runs/\(model)-\(formatter.string(from: Date()))"
    }
}

extension RecipeOptions {
    init(recipe: String?, overrides: [String]) {
        self.init()
        self.recipe = recipe
        self.overrides = overrides
    }
}
