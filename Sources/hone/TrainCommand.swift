import ArgumentParser
import CPUBackend
import Distributed
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
        discussion: """
            SIGINT or SIGTERM finishes the current step, saves a checkpoint and stops; `hone train --resume RUN_DIR` \
            then continues exactly where it stopped.

            Data-parallel: start it with `mpirun -np N hone train ...` (or `srun`, or mpirun with a hostfile). \
            data.batch_size stays the global batch, each rank loads batch_size / N images per step, gradients are \
            averaged over the ranks, and rank 0 writes the run folder. model.sync_bn: true normalises over the \
            global batch. A run may resume on another number of ranks.
            """
    )

    @OptionGroup var recipeOptions: RecipeOptions
    @Option(help: "Run folder (default: runs/<model>-<date>-<time>).") var output: String?
    @Option(help: "Continue the run in this folder from its last checkpoint, with its own recipe.") var resume: String?
    @Option(help: "Threads for the CPU kernels (overrides run.threads; 0 = all cores, or each rank's share under mpirun).")
    var threads: Int?
    @Option(help: "Seconds a rank waits in a collective for the others before it aborts the job (mpirun only).")
    var collectiveTimeout: Double = 300

    func validate() throws {
        if resume != nil && (recipeOptions.recipe != nil || !recipeOptions.overrides.isEmpty || output != nil) {
            throw ValidationError("--resume continues a run with the recipe saved in its folder; "
                                  + "it cannot be combined with --recipe, --set or --output")
        }
    }

    func run() throws {
        let communicator = try DistributedLaunch.detect().communicator(
            timeout: .milliseconds(Int((collectiveTimeout * 1000).rounded(.up))))
        let group = DataParallelGroup(communicator: communicator)
        do {
            try train(group: group)
            try communicator.finalize()
        } catch {
            // One rank's error (a bad recipe, a corrupt image, a full disk) would leave the others waiting in
            // their next collective: end them all now, with this rank's message.
            guard group.worldSize > 1 else { throw error }
            communicator.abort("\(error)")
        }
    }

    func train(group: DataParallelGroup) throws {
        let folder: RunFolder
        let recipe: Recipe
        if let resume {
            folder = RunFolder(url: URL(fileURLWithPath: resume))
            recipe = try RecipeOptions(recipe: folder.recipeURL.path, overrides: []).load()
        } else {
            recipe = try recipeOptions.load()
            // Each rank would name the default folder by its own clock: rank 0's name is the job's.
            let name = output ?? Self.defaultOutput(model: recipe.model.name)
            folder = RunFolder(url: URL(fileURLWithPath: try group.communicator.broadcast(name, from: 0)))
        }
        let threadCount = threads ?? recipe.run.threads
        let backend = CPUBackend(threads: threadCount > 0 ? threadCount : RankThreads.count(),
                                 convolutionAlgorithm: ConvolutionAlgorithm(recipe.run.convolutionAlgorithm))
        Compute.use(backend)
        if group.isWriter {
            let ranks = group.worldSize > 1 ? ", \(group.worldSize) ranks" : ""
            print("hone train: \(folder.url.path) — backend \(backend.name), \(backend.threadCount) threads\(ranks)")
        }
        let trainer: Trainer
        do {
            trainer = try Trainer(recipe: recipe, folder: folder, resume: resume != nil,
                                  stopRequest: StopRequest(listensToSignals: true),
                                  display: group.isWriter ? ProgressDisplay() : ProgressDisplay(isTerminal: false) { _ in },
                                  group: group)
        } catch {
            throw CommandFailure("\(error)")
        }
        let result = try trainer.run()
        if let evaluation = result.finalEvaluation, !result.stoppedEarly, group.isWriter {
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
