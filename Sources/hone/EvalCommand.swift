import ArgumentParser
import CPUBackend
import Foundation
import Interop
import Recipes
import TensorCore
import Training

/// `hone eval`: evaluates weights (a Hone checkpoint or any torchvision-named safetensors) on a recipe's data.
struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Evaluate a checkpoint or safetensors weights on the recipe's evaluation set: top-1, top-5, loss, per class."
    )

    @Option(help: "A run folder, a checkpoint folder, or a checkpoint's model.safetensors.") var checkpoint: String?
    @Option(help: "A safetensors file with torchvision/timm parameter names.") var weights: String?
    @OptionGroup var recipeOptions: RecipeOptions
    @Option(help: "Threads for the CPU kernels (0 = all cores).") var threads: Int?

    func validate() throws {
        guard (checkpoint == nil) != (weights == nil) else {
            throw ValidationError("give exactly one of --checkpoint and --weights")
        }
    }

    func run() throws {
        var recipeOptions = recipeOptions
        if let checkpoint, recipeOptions.recipe == nil,
           let runRecipe = (try? CheckpointLocation(path: checkpoint))?.recipe {
            recipeOptions.recipe = runRecipe.path
        }
        let recipe = try recipeOptions.load()
        let threadCount = threads ?? recipe.run.threads
        Compute.use(CPUBackend(threads: threadCount > 0 ? threadCount : nil,
                               convolutionAlgorithm: ConvolutionAlgorithm(recipe.run.convolutionAlgorithm)))
        let url = try Self.weightsURL(checkpoint: checkpoint, weights: weights)
        do {
            let evaluator = try Evaluator(recipe: recipe)
            let report = try evaluator.load(weights: url)
            if !report.missing.isEmpty { print("missing from \(url.path): \(report.missing.joined(separator: ", "))") }
            if !report.unexpected.isEmpty { print("unused in \(url.path): \(report.unexpected.joined(separator: ", "))") }
            let metrics = try evaluator.evaluate()
            print(String(format: "%@: top-1 %.2f%%  top-5 %.2f%%  loss %.4f  (%d images)", url.path, metrics.top1,
                         metrics.top5, metrics.loss, metrics.count))
            for (index, accuracy) in metrics.perClassAccuracy.enumerated() {
                print(String(format: "  %-12@ %6.2f%%", evaluator.classNames[index], accuracy))
            }
        } catch {
            throw CommandFailure("\(error)")
        }
    }

    /// The model.safetensors a --checkpoint or --weights argument means (see `CheckpointLocation`).
    static func weightsURL(checkpoint: String?, weights: String?) throws -> URL {
        if let weights { return URL(fileURLWithPath: weights) }
        do {
            return try CheckpointLocation(path: checkpoint!).weights
        } catch {
            throw CommandFailure("--checkpoint \(error)")
        }
    }
}
