import ArgumentParser
import CPUBackend
import Foundation
import Recipes
import TensorCore
import Training

/// `hone check RECIPE`: validates a recipe against the schema, then rehearses one training step at a tiny size.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate a recipe (file or preset) and dry-run one training step at a tiny size.",
        discussion: "The dry run builds the data pipeline, model, optimizer, loss, accumulation, clipping, EMA and "
            + "precision the recipe asks for and takes one step on a batch of 2 x accumulation_steps images of at "
            + "most --size pixels. It reads the real data when the recipe's data.path exists here, random images "
            + "otherwise; exit status 0 when the recipe would train."
    )

    @Argument(help: "A recipe file or a preset name (see `hone recipes`).") var recipe: String
    @Option(name: .customLong("set"), help: "Override a recipe key, e.g. --set schedule.epochs=20 (repeatable).")
    var overrides: [String] = []
    @Option(help: "Largest crop for the dry run, in pixels.") var size = 32
    @Option(help: "Threads for the CPU kernels (0 = all cores).") var threads = 0

    func validate() throws {
        guard size >= 8 else { throw ValidationError("--size must be at least 8, got \(size)") }
    }

    func run() throws {
        let loaded = try RecipeOptions(recipe: recipe, overrides: overrides).load()
        print("schema: ok (\(loaded.model.name), \(loaded.data.dataset.rawValue), \(loaded.optimizer.name.rawValue), "
              + "\(loaded.schedule.epochs) epochs at batch \(loaded.data.batchSize); fingerprint \(loaded.fingerprint))")
        Compute.use(CPUBackend(threads: threads > 0 ? threads : nil,
                               convolutionAlgorithm: ConvolutionAlgorithm(loaded.run.convolutionAlgorithm)))
        let report: RecipeDryRun.Report
        do {
            report = try RecipeDryRun.run(loaded, maximumImageSize: size)
        } catch {
            throw CommandFailure("dry run failed: \(error)")
        }
        print("data: \(report.data)")
        if let teacher = report.teacher { print("teacher: \(teacher)") }
        print(String(format: "dry run: ok — one step on %d images of %d px, %d classes: loss %.4f, %d of %d parameter "
                     + "tensors updated", report.batchSize, report.imageSize, report.classes, report.loss,
                     report.updatedParameters, report.parameters)
              + (report.updatedParameters < report.parameters && loaded.model.zeroInitResidual
                 ? " (zero-gamma: a residual branch's first layers get no gradient until its last BN scale moves)" : "")
              + (report.averagedWeights ? "; weight EMA updated" : ""))
    }
}
