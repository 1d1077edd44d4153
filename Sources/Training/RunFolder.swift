import Foundation
import Recipes

/// A training run's folder: resolved recipe, log, per-epoch summary, evaluation reports, checkpoints.
///
/// Only what a user reads or a resume needs: `recipe.yaml` (the full resolved
/// recipe), `log.txt`, `summary.csv` (one row per epoch, timm's columns plus
/// throughput), `evaluation/` (per-class accuracy and the confusion matrix of the
/// latest evaluation) and `checkpoints/`. A run that keeps a weight average (EMA)
/// also evaluates it: summary.csv gains `ema_eval_loss,ema_eval_top1,ema_eval_top5`
/// after the raw weights' columns, and its reports go to `evaluation/ema/`.
public struct RunFolder: Sendable {
    public static let summaryHeader = "epoch,train_loss,eval_loss,eval_top1,eval_top5,lr,images_per_second,wall_seconds"
    /// The header of a run that evaluates an EMA of its weights.
    public static let emaSummaryHeader = "epoch,train_loss,eval_loss,eval_top1,eval_top5,ema_eval_loss,ema_eval_top1,"
        + "ema_eval_top5,lr,images_per_second,wall_seconds"

    public let url: URL
    /// Whether summary.csv has the EMA's columns.
    public var tracksEMA: Bool

    public init(url: URL, tracksEMA: Bool = false) {
        self.url = url
        self.tracksEMA = tracksEMA
    }

    /// summary.csv's header line for this run.
    public var header: String { tracksEMA ? Self.emaSummaryHeader : Self.summaryHeader }

    public var recipeURL: URL { url.appendingPathComponent("recipe.yaml") }
    public var logURL: URL { url.appendingPathComponent("log.txt") }
    public var summaryURL: URL { url.appendingPathComponent("summary.csv") }
    public var evaluationURL: URL { url.appendingPathComponent("evaluation") }
    /// Where the EMA's per-class accuracy and confusion matrix go.
    public var emaEvaluationURL: URL { evaluationURL.appendingPathComponent("ema") }
    public var checkpoints: CheckpointStore { CheckpointStore(directory: url.appendingPathComponent("checkpoints")) }

    /// Creates the folders of a new run and writes its resolved recipe.
    /// Whether the run in this folder is of `recipe`: its `recipe.yaml` resolves to the same recipe.
    ///
    /// Compared after reading the saved file with today's schema, so a run started by an
    /// older Hone, whose recipe.yaml lacks the keys added since, still matches when those
    /// keys hold their defaults. False when there is no readable recipe.yaml.
    public func holdsRun(of recipe: Recipe) -> Bool {
        guard let saved = try? String(contentsOf: recipeURL, encoding: .utf8) else { return false }
        let resolved = recipe.resolvedYAML()
        if saved == resolved { return true }
        let reread = try? RecipeLoader(knownModels: []).parse(yaml: saved, source: recipeURL.path, overrides: [])
        return reread?.resolvedYAML() == resolved
    }

    public func create(recipeYAML: String) throws {
        try FileManager.default.createDirectory(at: tracksEMA ? emaEvaluationURL : evaluationURL,
                                                withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: checkpoints.directory, withIntermediateDirectories: true)
        try Data(recipeYAML.utf8).write(to: recipeURL, options: .atomic)
        try Data((header + "\n").utf8).write(to: summaryURL, options: .atomic)
    }

    /// Appends one line to the log.
    public func log(_ line: String) {
        append(line + "\n", to: logURL)
    }

    /// Appends one epoch's row to summary.csv (accuracies in percent); `emaEvaluation` fills the EMA's columns.
    public func appendSummary(epoch: Int, trainLoss: Double?, evaluation: EvaluationMetrics?,
                              emaEvaluation: EvaluationMetrics? = nil, learningRate: Double, imagesPerSecond: Double,
                              wallSeconds: Double) {
        func columns(_ metrics: EvaluationMetrics?) -> String {
            metrics.map { String(format: "%.6f,%.4f,%.4f", $0.loss, $0.top1, $0.top5) } ?? ",,"
        }
        var evalColumns = columns(evaluation)
        if tracksEMA { evalColumns += "," + columns(emaEvaluation) }
        append("\(epoch)," + (trainLoss.map { String(format: "%.6f", $0) } ?? "") + "," + evalColumns
               + String(format: ",%.8f,%.1f,%.1f\n", learningRate, imagesPerSecond, wallSeconds), to: summaryURL)
    }

    /// Rewrites summary.csv keeping only the rows of epochs before `epoch` (a resumed run redoes the rest).
    public func truncateSummary(before epoch: Int) throws {
        let text = (try? String(contentsOf: summaryURL, encoding: .utf8)) ?? header + "\n"
        let rows = text.split(separator: "\n").dropFirst().filter { row in
            guard let first = row.split(separator: ",").first, let rowEpoch = Int(first) else { return false }
            return rowEpoch < epoch
        }
        try Data(([header] + rows.map(String.init)).joined(separator: "\n").appending("\n").utf8)
            .write(to: summaryURL, options: .atomic)
    }

    /// Writes per-class accuracy and the confusion matrix (rows: true class, columns: predicted), the EMA's under `ema/`.
    public func writeEvaluation(_ metrics: EvaluationMetrics, classNames: [String], ofEMA: Bool = false) throws {
        let evaluationURL = ofEMA ? emaEvaluationURL : evaluationURL
        try FileManager.default.createDirectory(at: evaluationURL, withIntermediateDirectories: true)
        var perClass = "class,name,images,accuracy\n"
        for (index, accuracy) in metrics.perClassAccuracy.enumerated() {
            let name = index < classNames.count ? classNames[index] : String(index)
            perClass += String(format: "%d,\"%@\",%d,%.4f\n", index, name, metrics.confusion[index].reduce(0, +), accuracy)
        }
        try Data(perClass.utf8).write(to: evaluationURL.appendingPathComponent("per_class.csv"), options: .atomic)
        var confusion = "true\\predicted," + (0..<metrics.classes).map(String.init).joined(separator: ",") + "\n"
        for (index, row) in metrics.confusion.enumerated() {
            confusion += "\(index)," + row.map(String.init).joined(separator: ",") + "\n"
        }
        try Data(confusion.utf8).write(to: evaluationURL.appendingPathComponent("confusion_matrix.csv"), options: .atomic)
    }

    private func append(_ text: String, to file: URL) {
        if let handle = try? FileHandle(forWritingTo: file) {
            handle.seekToEndOfFile()
            handle.write(Data(text.utf8))
            try? handle.close()
        } else {
            try? Data(text.utf8).write(to: file)
        }
    }
}
