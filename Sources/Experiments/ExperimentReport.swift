import Foundation
import Training

/// The results of an experiment's finished runs, cell by cell: what `hone experiment report` tabulates and plots.
///
/// Only finished runs count (every epoch in summary.csv and a final evaluation); a run
/// that is missing or unfinished is reported as missing, never as a zero, so a
/// half-run experiment still gives an honest table.
public struct ExperimentReport: Sendable {
    /// One cell's finished runs.
    public struct CellResult: Sendable {
        public let cell: ExperimentCell
        /// The seeds the experiment asks for, in order.
        public let seeds: [UInt64]
        /// The summary of each finished run, by seed.
        public let summaries: [UInt64: RunSummary]
        /// The last row of each finished run, by seed.
        public let finals: [UInt64: RunSummary.Row]

        public init(cell: ExperimentCell, seeds: [UInt64], summaries: [UInt64: RunSummary], epochs: Int) {
            self.cell = cell
            self.seeds = seeds
            var kept: [UInt64: RunSummary] = [:]
            var finals: [UInt64: RunSummary.Row] = [:]
            for (seed, summary) in summaries {
                guard let final = summary.finalRow(epochs: epochs) else { continue }
                kept[seed] = summary
                finals[seed] = final
            }
            self.summaries = kept
            self.finals = finals
        }

        /// The final top-1 of each finished seed, by seed.
        public var top1BySeed: [UInt64: Double] { finals.compactMapValues(\.evalTop1) }

        /// The finished seeds' final top-1, in seed order.
        public var top1: [Double] { seeds.compactMap { top1BySeed[$0] } }
        /// The finished seeds' final top-5, in seed order.
        public var top5: [Double] { seeds.compactMap { finals[$0]?.evalTop5 } }
        /// The finished seeds' wall time, in seed order.
        public var wallSeconds: [Double] { seeds.compactMap { finals[$0]?.wallSeconds } }
        /// The seeds without a finished run.
        public var missingSeeds: [UInt64] { seeds.filter { finals[$0] == nil } }

        /// Mean eval top-1 per epoch over the finished seeds, at the epochs (counted from 1) that were evaluated.
        public var meanTop1PerEpoch: [(epoch: Int, value: Double)] {
            meanPerEpoch(\.evalTop1)
        }

        /// Mean learning rate of each epoch's last step over the finished seeds, epochs counted from 1.
        public var meanLearningRatePerEpoch: [(epoch: Int, value: Double)] {
            meanPerEpoch(\.learningRate)
        }

        private func meanPerEpoch(_ value: KeyPath<RunSummary.Row, Double?>) -> [(epoch: Int, value: Double)] {
            var byEpoch: [Int: [Double]] = [:]
            for summary in summaries.values {
                for row in summary.rows {
                    if let number = row[keyPath: value] { byEpoch[row.epoch, default: []].append(number) }
                }
            }
            return byEpoch.keys.sorted().compactMap { epoch in
                SampleStatistics.mean(byEpoch[epoch]!).map { (epoch + 1, $0) }
            }
        }
    }

    public let experiment: Experiment
    /// A line saying where the cells' recipe came from, for the report's header.
    public let recipeDescription: String
    public let cells: [CellResult]

    public init(experiment: Experiment, recipeDescription: String, cells: [CellResult]) {
        self.experiment = experiment
        self.recipeDescription = recipeDescription
        self.cells = cells
    }

    /// Reads every run folder of `plan` under `output`.
    public init(plan: ExperimentPlan, output: URL) {
        let runs = plan.runs(in: output)
        let cells = zip(plan.experiment.cells, plan.cellRecipes).map { cell, recipe in
            var summaries: [UInt64: RunSummary] = [:]
            for run in runs where run.cell.name == cell.name {
                summaries[run.seed] = RunSummary(contentsOf: run.folder.summaryURL)
            }
            return CellResult(cell: cell, seeds: plan.experiment.seeds, summaries: summaries,
                              epochs: recipe.schedule.epochs)
        }
        self.init(experiment: plan.experiment, recipeDescription: plan.experiment.recipe, cells: cells)
    }

    /// The baseline cell's results.
    public var baseline: CellResult? {
        cells.first { $0.cell.name == experiment.baseline }
    }

    /// The paired difference of `cell`'s final top-1 to the baseline's, over the seeds both finished.
    public func delta(of cell: CellResult) -> PairedDifference? {
        guard let baseline, baseline.cell.name != cell.cell.name else { return nil }
        return PairedDifference(values: cell.top1BySeed, baseline: baseline.top1BySeed, seeds: experiment.seeds)
    }

    /// Writes `report.md` and the plots' SVG files into `folder`; returns the Markdown.
    @discardableResult
    public func write(to folder: URL) throws -> String {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for plot in plots() {
            try Data(plot.svg.utf8).write(to: folder.appendingPathComponent(plot.fileName), options: .atomic)
        }
        let text = markdown()
        try Data(text.utf8).write(to: folder.appendingPathComponent("report.md"), options: .atomic)
        return text
    }
}
