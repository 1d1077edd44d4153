import Foundation
import Training

/// The top-1 table of a resolution sweep: one row per test size, one column per crop fraction, the best cell starred.
///
/// Shapes: `sweep.sizes.count` rows under a header of `sweep.cropFractions.count`
/// columns, each cell the top-1 accuracy in percent with two decimals.
enum EvaluationTable {
    static func render(_ cells: [EvaluationSweep.Cell], sweep: EvaluationSweep) -> String {
        let best = cells.map(\.metrics.top1).max()
        let header = ["top-1 %"] + sweep.cropFractions.map { "crop \($0)" }
        var rows = [header]
        for size in sweep.sizes {
            var row = ["size \(size)"]
            for fraction in sweep.cropFractions {
                let cell = cells.first { $0.resolution == EvaluationResolution(size: size, cropFraction: fraction) }
                row.append(cell.map { String(format: "%.2f", $0.metrics.top1) + ($0.metrics.top1 == best ? "*" : " ") }
                           ?? "-")
            }
            rows.append(row)
        }
        let widths = (0..<header.count).map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { column, text in
                let padding = String(repeating: " ", count: widths[column] - text.count)
                return column == 0 ? text + padding : padding + text
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }
}
