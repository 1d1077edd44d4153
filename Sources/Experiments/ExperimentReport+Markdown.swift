import Foundation

extension ExperimentReport {
    /// The report as Markdown: a header saying what was run, one table row per cell, then the plots.
    ///
    /// Columns follow the reports' tables: the cell's factors (its overrides), finished seeds
    /// out of planned, final top-1 mean ± sample std and per seed, the paired delta to the
    /// baseline with its 95% t-interval, mean top-5 and the median wall time of a run.
    public func markdown() -> String {
        var lines = ["# Experiment \(experiment.name)", ""]
        var setup = "Recipe `\(recipeDescription)`"
        if !experiment.overrides.isEmpty {
            setup += " with " + experiment.overrides.map { "`\($0)`" }.joined(separator: ", ")
        }
        setup += "; seeds " + experiment.seeds.map(String.init).joined(separator: ", ") + "."
        lines.append(setup)
        lines.append("Top-1 and top-5: each run's final test accuracy (%) of the trained weights, mean ± sample std "
                     + "over the finished seeds. Δ: the paired difference to `\(experiment.baseline)` over the seeds "
                     + "both finished, mean [95% t-interval].")
        lines.append("")
        lines.append("| cell | factors | n | top-1 (mean ± std) | top-1 per seed | Δ top-1 vs \(experiment.baseline) "
                     + "[95% CI] | top-5 (mean) | wall per run (median) |")
        lines.append("|---|---|---|---|---|---|---|---|")
        for result in cells {
            lines.append("| " + row(for: result).map(Self.escaped).joined(separator: " | ") + " |")
        }
        lines.append("")
        for plot in Self.plotFiles {
            lines.append("![\(plot.title)](\(plot.fileName))")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The table cells of one row, unescaped.
    func row(for result: CellResult) -> [String] {
        let missing = "missing"
        let factors = result.cell.overrides.isEmpty ? "-" : result.cell.overrides.map { "`\($0.text)`" }
            .joined(separator: ", ")
        let count = "\(result.top1.count)/\(result.seeds.count)"
        var top1 = missing
        if let mean = SampleStatistics.mean(result.top1) {
            top1 = String(format: "%.2f", mean)
            top1 += SampleStatistics.standardDeviation(result.top1).map { String(format: " ± %.2f", $0) } ?? ""
        }
        let perSeed = result.seeds.map { seed in
            result.top1BySeed[seed].map { String(format: "%.2f", $0) } ?? missing
        }.joined(separator: ", ")
        let delta: String
        if result.cell.name == experiment.baseline {
            delta = "(baseline)"
        } else if let difference = self.delta(of: result), let mean = difference.mean {
            let pairs = "n=\(difference.count)"
            if let interval = difference.interval() {
                delta = String(format: "%+.2f [%+.2f, %+.2f]", mean, interval.lowerBound, interval.upperBound)
                    + " (\(pairs))"
            } else {
                delta = String(format: "%+.2f", mean) + " (\(pairs), no interval)"
            }
        } else {
            delta = missing
        }
        let top5 = SampleStatistics.mean(result.top5).map { String(format: "%.2f", $0) } ?? missing
        let wall = SampleStatistics.median(result.wallSeconds).map { String(format: "%.0f s", $0) } ?? missing
        return [result.cell.name, factors, count, top1, perSeed, delta, top5, wall]
    }

    /// Text safe inside a Markdown table cell.
    static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }
}
