import Foundation
import Interop
import Recipes
import Testing
import Training

/// A run with a weight average evaluates it beside the trained weights, checkpoints it, and resumes it bit-exactly.
@Suite(.serialized) struct EMAResumeTests {
    static let emaSettings = ["ema.decay=0.9", "ema.warmup=true", "ema.every=2"]

    /// Trains `recipe` in `folder`, stopping after `stopAfter` steps and resuming when given.
    func train(_ recipe: Recipe, in folder: URL, stopAfter: Int?) throws -> Trainer.Result {
        _ = trainingBackend
        let run = RunFolder(url: folder)
        let stop = StopRequest(listensToSignals: false)
        let first = try Trainer(recipe: recipe, folder: run, resume: false, stopRequest: stop, display: silentDisplay())
        if let stopAfter {
            first.observers.append { event in
                if case .stepEnd(let step, _, _) = event, step == stopAfter { stop.request(reason: "test") }
            }
        }
        let result = try first.run()
        guard stopAfter != nil else { return result }
        #expect(result.stoppedEarly)
        return try Trainer(recipe: recipe, folder: run, resume: true, stopRequest: StopRequest(listensToSignals: false),
                           display: silentDisplay()).run()
    }

    /// Two epochs of 4 steps on 64 images; the run stopped after step 3 resumes between two EMA updates.
    @Test func resumingARunWithAnEMAGivesBitIdenticalAveragesAndReportsThem() throws {
        let recipe = try tinyRecipe(Self.emaSettings + ["data.train_limit=64", "data.eval_limit=20"])
        let (straight, interrupted) = (try temporaryFolder("ema-straight"), try temporaryFolder("ema-interrupted"))
        defer { try? FileManager.default.removeItem(at: straight); try? FileManager.default.removeItem(at: interrupted) }
        let uninterrupted = try train(recipe, in: straight, stopAfter: nil)
        let resumed = try train(recipe, in: interrupted, stopAfter: 3)
        #expect(uninterrupted.steps == 8 && resumed.steps == 8)
        let checkpoints = (RunFolder(url: straight).checkpoints, RunFolder(url: interrupted).checkpoints)
        let averages = (try SafeTensors(contentsOf: checkpoints.0.emaURL(.last)),
                        try SafeTensors(contentsOf: checkpoints.1.emaURL(.last)))
        expectIdenticalWeights(averages.0, averages.1, after: "resuming")
        #expect(averages.0.metadata["ema_updates"] == "4" && averages.1.metadata["ema_updates"] == "4")
        let weights = try SafeTensors(contentsOf: checkpoints.0.modelURL(.last))
        expectIdenticalWeights(weights, try SafeTensors(contentsOf: checkpoints.1.modelURL(.last)), after: "resuming")
        #expect(weights["conv1.weight"]?.scalars != averages.0["conv1.weight"]?.scalars)
        #expect(uninterrupted.finalEMAEvaluation != nil)
        #expect(uninterrupted.finalEMAEvaluation == resumed.finalEMAEvaluation)
        try expectReports(of: uninterrupted, in: RunFolder(url: straight))
        try expectReports(of: resumed, in: RunFolder(url: interrupted))
    }

    /// summary.csv's EMA columns, `best` ranked by the average (as timm's train script), its evaluation files and log.
    func expectReports(of result: Trainer.Result, in folder: RunFolder) throws {
        let rows = try String(contentsOf: folder.summaryURL, encoding: .utf8).split(separator: "\n")
        #expect(rows.first.map(String.init) == RunFolder.emaSummaryHeader)
        #expect(rows.count == 3)
        let emaTop1 = rows.dropFirst().map { Double($0.split(separator: ",", omittingEmptySubsequences: false)[6])! }
        let best = try #require(result.bestTop1)
        #expect(abs(best - emaTop1.max()!) < 1e-3, "best follows the average's top-1")
        for file in ["per_class.csv", "confusion_matrix.csv"] {
            #expect(FileManager.default.fileExists(atPath: folder.emaEvaluationURL.appendingPathComponent(file).path))
        }
        #expect(try String(contentsOf: folder.logURL, encoding: .utf8).contains("EMA eval loss"))
        #expect(FileManager.default.fileExists(atPath: folder.checkpoints.emaURL(.best).path))
    }
}
