import Experiments
import Foundation
import Recipes
import Testing
import Training

/// The report reads summary.csv files (here written by the test) and shows missing or unfinished runs as missing.
struct ExperimentReportTests {
    let experiment = Experiment(
        name: "synthetic", recipe: "tiny.yaml", overrides: ["schedule.epochs=2"], seeds: [0, 1, 2], baseline: "base",
        cells: [
            ExperimentCell(name: "base", overrides: []),
            ExperimentCell(name: "smooth", overrides: [.init(key: "loss.label_smoothing", value: "0.1")]),
            ExperimentCell(name: "cutmix", overrides: [.init(key: "data.cutmix", value: "1.0")]),
        ])

    var plan: ExperimentPlan {
        var recipe = Recipe()
        recipe.schedule.epochs = 2
        return ExperimentPlan(experiment: experiment, recipeURL: URL(fileURLWithPath: "/tiny.yaml"),
                              cellRecipes: Array(repeating: recipe, count: 3))
    }

    /// A two-epoch summary.csv whose final row has `top1`, `top5` and `wall` (an EMA run's header when asked).
    func summary(top1: Double, top5: Double, wall: Double, ema: Bool = false) -> String {
        if ema {
            return RunFolder.emaSummaryHeader + "\n"
                + "0,2.0,1.9,40.0,80.0,1.8,41.0,81.0,0.1,100.0,10.0\n"
                + "1,1.5,1.4,\(top1),\(top5),1.3,99.0,99.0,0.01,100.0,\(wall)\n"
        }
        return RunFolder.summaryHeader + "\n" + "0,2.0,,,,0.1,100.0,10.0\n" + "1,1.5,1.4,\(top1),\(top5),0.01,100.0,\(wall)\n"
    }

    func writeRuns(in output: URL) throws {
        try write(summary(top1: 80, top5: 98, wall: 100), to: "base/seed-0/summary.csv", in: output)
        try write(summary(top1: 81, top5: 98.5, wall: 120, ema: true), to: "base/seed-1/summary.csv", in: output)
        try write(summary(top1: 82, top5: 99, wall: 110), to: "base/seed-2/summary.csv", in: output)
        try write(summary(top1: 81, top5: 99, wall: 90), to: "smooth/seed-0/summary.csv", in: output)
        try write(summary(top1: 81.5, top5: 99, wall: 96), to: "smooth/seed-1/summary.csv", in: output)
        try write(RunFolder.summaryHeader + "\n0,2.0,,,,0.1,100.0,10.0\n", to: "cutmix/seed-0/summary.csv", in: output)
    }

    @Test func rowsGiveMeanStdPerSeedPairedDeltaTop5AndWallWithMissingRunsAsMissing() throws {
        let output = try temporaryFolder("report")
        defer { try? FileManager.default.removeItem(at: output) }
        try writeRuns(in: output)
        let report = ExperimentReport(plan: plan, output: output)
        let lines = report.markdown().split(separator: "\n").map(String.init)
        let halfWidth = 12.706205 * (0.125).squareRoot() / 2.0.squareRoot()
        #expect(lines.contains("| base | - | 3/3 | 81.00 ± 1.00 | 80.00, 81.00, 82.00 | (baseline) | 98.50 | 110 s |"))
        #expect(lines.contains("| smooth | `loss.label_smoothing=0.1` | 2/3 | 81.25 ± 0.35 | 81.00, 81.50, missing | "
                               + String(format: "+0.75 [%+.2f, %+.2f] (n=2)", 0.75 - halfWidth, 0.75 + halfWidth)
                               + " | 99.00 | 93 s |"))
        #expect(lines.contains("| cutmix | `data.cutmix=1.0` | 0/3 | missing | missing, missing, missing | missing | "
                               + "missing | missing |"))
        #expect(lines.contains { $0.contains("`schedule.epochs=2`") && $0.contains("seeds 0, 1, 2") })
    }

    @Test func writeSavesTheMarkdownAndThreePlotsWithOneCurveAndErrorBarPerFinishedCell() throws {
        let output = try temporaryFolder("report-files")
        defer { try? FileManager.default.removeItem(at: output) }
        try writeRuns(in: output)
        let text = try ExperimentReport(plan: plan, output: output).write(to: output)
        #expect(try String(contentsOf: output.appendingPathComponent("report.md"), encoding: .utf8) == text)
        for file in ["top1-per-epoch.svg", "learning-rate.svg", "final-top1.svg"] {
            #expect(text.contains("](\(file))"))
            let svg = try String(contentsOf: output.appendingPathComponent(file), encoding: .utf8)
            #expect(svg.hasPrefix("<?xml"))
        }
        func count(_ needle: String, in file: String) throws -> Int {
            try String(contentsOf: output.appendingPathComponent(file), encoding: .utf8)
                .components(separatedBy: needle).count - 1
        }
        #expect(try count("class=\"series-line\"", in: "top1-per-epoch.svg") == 2)
        #expect(try count("class=\"series-line\"", in: "learning-rate.svg") == 2)
        #expect(try count("class=\"error-bar\"", in: "final-top1.svg") == 2)
        #expect(try count(">cutmix<", in: "final-top1.svg") == 1, "the missing cell keeps its place on the axis")
    }

    @Test func curvesAverageTheSeedsAtEachEvaluatedEpoch() throws {
        let output = try temporaryFolder("report-curves")
        defer { try? FileManager.default.removeItem(at: output) }
        try writeRuns(in: output)
        let report = ExperimentReport(plan: plan, output: output)
        let base = try #require(report.cells.first)
        #expect(base.meanTop1PerEpoch.map(\.epoch) == [1, 2])
        #expect(base.meanTop1PerEpoch.map(\.value) == [40, 81])
        #expect(zip(base.meanLearningRatePerEpoch.map(\.value), [0.1, 0.01]).allSatisfy { abs($0 - $1) < 1e-12 })
    }

    @Test func summaryReadsColumnsByNameAndLeavesUnevaluatedEpochsEmpty() throws {
        let plain = try #require(RunSummary(csv: summary(top1: 70, top5: 90, wall: 5)))
        #expect(plain.rows.map(\.evalTop1) == [nil, 70])
        #expect(plain.finalRow(epochs: 2)?.wallSeconds == 5)
        #expect(plain.finalRow(epochs: 3) == nil, "a run with epochs still to go is not finished")
        let ema = try #require(RunSummary(csv: summary(top1: 70, top5: 90, wall: 5, ema: true)))
        #expect(ema.rows.map(\.evalTop1) == [40, 70])
        #expect(ema.rows.map(\.learningRate) == [0.1, 0.01])
    }
}
