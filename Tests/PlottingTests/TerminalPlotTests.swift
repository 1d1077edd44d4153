import Foundation
import Plotting
import Testing

struct TerminalPlotTests {
    /// The chart rows: the lines between the optional title and the x axis, recognised by their axis character.
    private func chartRows(_ text: String) -> [String] {
        text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            .filter { $0.contains("┤") || $0.contains("│") }
    }

    /// The canvas part of a chart row, after the axis character.
    private func canvas(_ row: String) -> Substring {
        row[row.index(after: row.lastIndex { $0 == "┤" || $0 == "│" }!)...]
    }

    /// The y label of a chart row, without its padding.
    private func label(_ row: String) -> String {
        String(row[..<row.lastIndex { $0 == "┤" || $0 == "│" }!]).trimmingCharacters(in: .whitespaces)
    }

    private let decreasing = (0..<200).map { step in (Double(step), 0.1 * (1 - Double(step) / 199)) }

    @Test(arguments: [(72, 16), (40, 5), (20, 2), (100, 30)])
    func chartHasTheRequestedSize(size: (width: Int, height: Int)) {
        let text = TerminalPlot.render(series: decreasing, width: size.width, height: size.height, title: "lr")
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 1 + size.height + 2, "title, chart rows, x axis, x range")
        #expect(lines.first == "lr")
        let rows = chartRows(text)
        #expect(rows.count == size.height)
        for row in rows { #expect(row.count == size.width) }
        #expect(lines[size.height + 1].count == size.width, "the x axis spans the width")
        #expect(lines.allSatisfy { $0.count <= size.width })
    }

    @Test func maximumIsOnTheTopRowAndMinimumOnTheBottomRow() {
        let rows = chartRows(TerminalPlot.render(series: decreasing, width: 60, height: 10, title: nil))
        #expect(label(rows[0]) == "0.1" && rows[0].contains("┤"))
        #expect(label(rows[9]) == "0" && rows[9].contains("┤"))
        #expect(rows.indices.filter { !label(rows[$0]).isEmpty } == [0, 5, 9], "top, middle and bottom ticks")
        #expect(canvas(rows[0]).first != " ", "the first point, the maximum, is at the top left")
        #expect(canvas(rows[9]).last != " ", "the last point, the minimum, is at the bottom right")
        #expect(canvas(rows[0]).last == " ")
        #expect(canvas(rows[9]).first == " ")
        let middleValue = Double(label(rows[5])) ?? -1
        #expect(middleValue > 0.04 && middleValue < 0.06)
    }

    @Test func everyColumnOfAContinuousCurveHasADot() {
        let stepped = (0..<100).map { step in (Double(step), step < 50 ? 1.0 : 0.1) }
        let rows = chartRows(TerminalPlot.render(series: stepped, width: 40, height: 8, title: nil)).map(canvas)
        let columns = rows[0].count
        for column in 0..<columns {
            #expect(rows.contains { $0[$0.index($0.startIndex, offsetBy: column)] != " " }, "column \(column)")
        }
        let dropColumn = rows[0].lastIndex { $0 != " " }.map { rows[0].distance(from: rows[0].startIndex, to: $0) }
        #expect(dropColumn.map { (columns / 2 - 1...columns / 2 + 1).contains($0) } == true)
        #expect(rows.allSatisfy { row in row.contains { $0 != " " } }, "the vertical drop is drawn")
    }

    @Test func constantSeriesIsDrawnAlongTheMiddleRow() {
        let flat = (0..<50).map { (Double($0), 0.4) }
        let rows = chartRows(TerminalPlot.render(series: flat, width: 30, height: 6, title: nil))
        #expect(rows.count == 6)
        for (index, row) in rows.enumerated() {
            let filled = canvas(row).filter { $0 != " " }.count
            #expect(filled == (index == 3 ? canvas(row).count : 0), "row \(index)")
        }
        #expect(rows.map(label) == ["", "", "", "0.4", "", ""])
    }

    @Test func singlePointIsOneDotInTheMiddle() {
        let text = TerminalPlot.render(series: [(5, 0.25)], width: 30, height: 6, title: "one")
        let rows = chartRows(text)
        #expect(rows.count == 6)
        let dots = rows.flatMap { canvas($0).filter { $0 != " " } }
        #expect(dots.count == 1)
        #expect(canvas(rows[3]).contains { $0 != " " })
        #expect(text.hasSuffix("5"), "the x range is the one value")
    }

    @Test func emptyAndNonFiniteSeriesRenderAxesOnly() {
        for series in [[], [(0.0, Double.nan), (1.0, .infinity)]] {
            let rows = chartRows(TerminalPlot.render(series: series, width: 30, height: 4, title: nil))
            #expect(rows.count == 4)
            #expect(rows.allSatisfy { canvas($0).allSatisfy { $0 == " " } })
        }
    }

    @Test func xRangeIsLabelled() {
        let text = TerminalPlot.render(series: decreasing, width: 50, height: 4, title: nil)
        let last = text.split(separator: "\n").last.map(String.init) ?? ""
        #expect(last.trimmingCharacters(in: .whitespaces).hasPrefix("0"))
        #expect(last.hasSuffix("199"))
    }
}
