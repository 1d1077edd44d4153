/// A line chart drawn with Unicode braille characters, for previews in a terminal.
///
/// The output is, top to bottom: the title (when given), `height` chart rows, the x
/// axis, and a row with the smallest and largest x values. Every chart row and the x axis are
/// exactly `width` characters: a gutter of y labels, an axis character, then the
/// canvas. The top row is labelled with the largest y and holds it, the bottom row the
/// smallest, and the middle row the value at its centre; a constant series is drawn
/// along the middle row and labelled there. Consecutive points are joined by straight
/// segments, so drops such as step decays stay visible. Non-finite points are left out.
///
/// `hone schedule` shows a recipe's learning-rate curve before hours are spent training
/// it; a text chart works over SSH and in logs, where an SVG cannot be looked at.
public enum TerminalPlot {
    /// The chart of `series`, `width` characters wide (at least 20) with `height` chart rows (at least 2).
    public static func render(series: [(Double, Double)], width: Int = 72, height: Int = 16,
                              title: String? = nil) -> String {
        precondition(width >= 20, "A terminal plot needs a width of at least 20 characters, got \(width)")
        precondition(height >= 2, "A terminal plot needs at least 2 rows, got \(height)")
        let points = series.filter { $0.0.isFinite && $0.1.isFinite }
        let xValues = points.map(\.0)
        let yValues = points.map(\.1)
        let middleRow = height / 2
        var rowLabels = [String](repeating: "", count: height)
        if let low = yValues.min(), let high = yValues.max() {
            if low == high {
                rowLabels[middleRow] = NumberLabel.compact(low)
            } else {
                rowLabels[0] = NumberLabel.compact(high)
                rowLabels[height - 1] = NumberLabel.compact(low)
                if height >= 3 {
                    let pixelCentre = Double(middleRow * 4) + 1.5
                    let middleValue = high - pixelCentre / Double(height * 4 - 1) * (high - low)
                    rowLabels[middleRow] = NumberLabel.compact(middleValue, significantDigits: 3)
                }
            }
        }
        let gutter = max(rowLabels.map(\.count).max() ?? 0, 1)
        let columns = max(width - gutter - 2, 1)
        var canvas = BrailleCanvas(columns: columns, rows: height)
        let xRange = (low: xValues.min() ?? 0, high: xValues.max() ?? 0)
        let yRange = (low: yValues.min() ?? 0, high: yValues.max() ?? 0)
        let middlePixelFromBottom = canvas.pixelHeight - 1 - (middleRow * 4 + 1)
        let pixels = points.map { point in
            (x: pixel(point.0, range: xRange, count: canvas.pixelWidth, flat: canvas.pixelWidth / 2),
             y: canvas.pixelHeight - 1
                - pixel(point.1, range: yRange, count: canvas.pixelHeight, flat: middlePixelFromBottom))
        }
        if let first = pixels.first {
            canvas.set(x: first.x, y: first.y)
        }
        for (start, end) in zip(pixels, pixels.dropFirst()) {
            canvas.drawLine(from: start, to: end)
        }
        var lines: [String] = []
        if let title { lines.append(String(title.prefix(width))) }
        for row in 0..<height {
            let label = rowLabels[row]
            let padding = String(repeating: " ", count: gutter - label.count)
            lines.append(padding + label + (label.isEmpty ? " │" : " ┤") + canvas.line(row))
        }
        lines.append(String(repeating: " ", count: gutter) + " └" + String(repeating: "─", count: columns))
        if let low = xValues.min(), let high = xValues.max() {
            let first = NumberLabel.compact(low, significantDigits: 6)
            let last = NumberLabel.compact(high, significantDigits: 6)
            let gap = max(columns - first.count - last.count, 1)
            let range = low == high ? first : first + String(repeating: " ", count: gap) + last
            lines.append(String(repeating: " ", count: gutter + 2) + range)
        }
        return lines.joined(separator: "\n")
    }

    /// The pixel of `value` among `count` pixels, from the range's low (0) to its high (count − 1).
    ///
    /// A range of one value has no scale; every value then lands on `flat`.
    private static func pixel(_ value: Double, range: (low: Double, high: Double), count: Int, flat: Int) -> Int {
        guard range.high > range.low else { return flat }
        return Int(((value - range.low) / (range.high - range.low) * Double(count - 1)).rounded())
    }
}
