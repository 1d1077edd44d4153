import ArgumentParser
import CPUBackend
import Foundation
import Interop
import Recipes
import TensorCore
import Training

/// `hone eval`: evaluates weights (a Hone checkpoint or any torchvision-named safetensors) on a recipe's data.
///
/// With `--sizes` and/or `--crop-pcts` it sweeps every (test size, crop fraction)
/// pair with the weights loaded once and prints a top-1 table; `--recalibrate-bn N`
/// re-estimates the batch norms' statistics on N training batches at each evaluated
/// resolution first (restored afterwards, unless `--save` writes them out).
struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Evaluate a checkpoint or safetensors weights on the recipe's evaluation set: top-1, top-5, loss, per class.",
        discussion: """
            --sizes 160,192,224 --crop-pcts 0.875,1.0 evaluates at every pair (streamed image data only) and prints \
            a table of top-1 accuracy; an omitted list is the recipe's eval_image_size (or image_size) or crop_pct. \
            --recalibrate-bn N first averages every batch norm's running statistics over N training batches with the \
            evaluation transform at that resolution (no weight changes).
            """
    )

    @Option(help: "A run folder, a checkpoint folder, or a checkpoint's model.safetensors.") var checkpoint: String?
    @Option(help: "A safetensors file with torchvision/timm parameter names.") var weights: String?
    @OptionGroup var recipeOptions: RecipeOptions
    @Option(help: "Threads for the CPU kernels (0 = all cores).") var threads: Int?
    @Option(help: "Test image sizes to sweep, comma-separated (e.g. 160,192,224).") var sizes: String?
    @Option(name: .customLong("crop-pcts"), help: "Centre-crop fractions to sweep, comma-separated (e.g. 0.875,0.95,1.0).")
    var cropPcts: String?
    @Option(name: .customLong("recalibrate-bn"),
            help: "Recalibrate batch-norm statistics on this many training batches at each test resolution first.")
    var recalibrateBN: Int?
    @Option(help: "Write the recalibrated weights to this safetensors file (needs --recalibrate-bn and one resolution).")
    var save: String?
    @Flag(help: "Print the metrics as JSON instead of text.") var json = false

    func validate() throws {
        guard (checkpoint == nil) != (weights == nil) else {
            throw ValidationError("give exactly one of --checkpoint and --weights")
        }
        if let recalibrateBN, recalibrateBN <= 0 {
            throw ValidationError("--recalibrate-bn \(recalibrateBN): expected a positive number of training batches")
        }
        let sizeList = try Self.parse(sizes, option: "--sizes", as: Int.init)
        let cropList = try Self.parse(cropPcts, option: "--crop-pcts", as: Double.init)
        do {
            _ = try EvaluationSweep(sizes: sizeList ?? [1], cropFractions: cropList ?? [1])
        } catch {
            switch error {
            case .sizeNotPositive, .repeatedSize, .noSizes: throw ValidationError("--sizes \(sizes ?? ""): \(error)")
            default: throw ValidationError("--crop-pcts \(cropPcts ?? ""): \(error)")
            }
        }
        if save != nil {
            guard recalibrateBN != nil else { throw ValidationError("--save writes recalibrated weights: add --recalibrate-bn N") }
            guard (sizeList?.count ?? 1) == 1 && (cropList?.count ?? 1) == 1 else {
                throw ValidationError("--save keeps the statistics of one resolution: give at most one --sizes and one --crop-pcts")
            }
        }
    }

    func run() throws {
        try CommandFailure.requireSingleProcess("hone eval")
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
            let sweep = try requestedSweep(evaluator)
            let report = try evaluator.load(weights: url)
            if !report.missing.isEmpty { note("missing from \(url.path): \(report.missing.joined(separator: ", "))") }
            if !report.unexpected.isEmpty { note("unused in \(url.path): \(report.unexpected.joined(separator: ", "))") }
            if let sweep {
                try runSweep(sweep, evaluator: evaluator, weights: url)
            } else {
                try runSingle(evaluator, weights: url)
            }
        } catch let error as ValidationError {
            throw error
        } catch {
            throw CommandFailure("\(error)")
        }
    }

    /// One evaluation at the recipe's resolution, per-class accuracies included.
    private func runSingle(_ evaluator: Evaluator, weights url: URL) throws {
        let batches = recalibrateBN ?? 0
        let metrics: EvaluationMetrics
        if let save {
            try evaluator.recalibrateBatchNorm(batches: batches)
            metrics = try evaluator.evaluate()
            try write(evaluator, to: save, weights: url)
        } else {
            metrics = try evaluator.evaluate(recalibrationBatches: batches)
        }
        if json {
            let resolution = try? evaluator.recipeResolution()
            print(try EvaluationReport(weights: url.path, recalibrationBatches: batches, results: [
                .init(resolution: resolution, metrics: metrics, classNames: evaluator.classNames),
            ]).json())
            return
        }
        if batches > 0 { print("batch norm recalibrated on \(batches) training batches") }
        print(String(format: "%@: top-1 %.2f%%  top-5 %.2f%%  loss %.4f  (%d images)", url.path, metrics.top1,
                     metrics.top5, metrics.loss, metrics.count))
        for (index, accuracy) in metrics.perClassAccuracy.enumerated() {
            print(String(format: "  %-12@ %6.2f%%", evaluator.classNames[index], accuracy))
        }
    }

    /// The sweep `--sizes` and `--crop-pcts` ask for, an omitted list being the recipe's; nil when neither is given.
    ///
    /// Checked before any weights load, so that data of one fixed size is refused at once.
    private func requestedSweep(_ evaluator: Evaluator) throws -> EvaluationSweep? {
        guard sizes != nil || cropPcts != nil else { return nil }
        let recipeResolution: EvaluationResolution
        do {
            recipeResolution = try evaluator.recipeResolution()
        } catch {
            let options = [sizes.map { "--sizes \($0)" }, cropPcts.map { "--crop-pcts \($0)" }].compactMap { $0 }
            throw CommandFailure("\(options.joined(separator: " ")): \(error)")
        }
        return try EvaluationSweep(
            sizes: try Self.parse(sizes, option: "--sizes", as: Int.init) ?? [recipeResolution.size],
            cropFractions: try Self.parse(cropPcts, option: "--crop-pcts", as: Double.init)
                ?? [recipeResolution.cropFraction],
            recalibrationBatches: recalibrateBN ?? 0)
    }

    /// Every (size, crop fraction) pair, each cell noted on stderr as it finishes, then the table or the JSON.
    private func runSweep(_ sweep: EvaluationSweep, evaluator: Evaluator, weights url: URL) throws {
        let cells: [EvaluationSweep.Cell]
        if let save, let resolution = sweep.resolutions.first {
            try evaluator.recalibrateBatchNorm(batches: sweep.recalibrationBatches, at: resolution)
            cells = [EvaluationSweep.Cell(resolution: resolution, metrics: try evaluator.evaluate(at: resolution))]
            try write(evaluator, to: save, weights: url)
        } else {
            cells = try sweep.run(evaluator) { cell in
                note(String(format: "size %d, crop %@: top-1 %.2f%%  top-5 %.2f%%  loss %.4f", cell.resolution.size,
                            "\(cell.resolution.cropFraction)", cell.metrics.top1, cell.metrics.top5, cell.metrics.loss))
            }
        }
        if json {
            print(try EvaluationReport(weights: url.path, recalibrationBatches: sweep.recalibrationBatches,
                                       results: cells.map {
                                           .init(resolution: $0.resolution, metrics: $0.metrics,
                                                 classNames: evaluator.classNames)
                                       }).json())
            return
        }
        let images = cells.first?.metrics.count ?? 0
        let recalibration = sweep.recalibrationBatches > 0
            ? ", batch norm recalibrated on \(sweep.recalibrationBatches) training batches per cell" : ""
        print("\(url.path): top-1 on \(images) images\(recalibration)")
        print(EvaluationTable.render(cells, sweep: sweep))
    }

    /// Writes the evaluator's weights and recalibrated statistics to `path`, never over the evaluated file.
    private func write(_ evaluator: Evaluator, to path: String, weights url: URL) throws {
        let destination = URL(fileURLWithPath: (path as NSString).expandingTildeInPath)
        guard destination.standardizedFileURL.resolvingSymlinksInPath() != url.standardizedFileURL.resolvingSymlinksInPath()
        else {
            throw CommandFailure("--save \(path): that is the file being evaluated; write the recalibrated weights elsewhere")
        }
        try evaluator.stateDictionary(metadata: ["recalibrated_from": url.path]).write(to: destination)
        note("wrote the recalibrated weights to \(destination.path)")
    }

    /// A line on standard error, so that standard output stays the result (and valid JSON under --json).
    private func note(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    /// A comma-separated option value as numbers, nil when the option is absent.
    static func parse<Value>(_ text: String?, option: String, as convert: (String) -> Value?) throws -> [Value]? {
        guard let text else { return nil }
        return try text.split(separator: ",", omittingEmptySubsequences: false).map { part in
            let trimmed = part.trimmingCharacters(in: .whitespaces)
            guard let value = convert(trimmed) else {
                throw ValidationError("\(option) \(text): '\(trimmed)' is not a number; expected a comma-separated list")
            }
            return value
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
