/// The plotting area of an SVG chart and the furniture around it: title, grid, axes, ticks and axis labels.
///
/// The left margin grows with the longest y tick label and the right margin with the
/// legend, so labels are never clipped; the data area is what remains. Fractions of 0
/// and 1 map to the area's left and right edges (x) and bottom and top edges (y).
///
/// Line and point plots share it, so their charts look alike in one report.
struct PlotFrame {
    let left: Double
    let top: Double
    let right: Double
    let bottom: Double

    static let characterWidth = 7.0

    init(width: Int, height: Int, longestYTickLabel: Int, legendWidth: Double) {
        left = 36 + Self.characterWidth * Double(longestYTickLabel)
        top = 40
        right = max(Double(width) - 20 - legendWidth, left + 10)
        bottom = max(Double(height) - 50, top + 10)
    }

    func x(_ fraction: Double) -> Double { left + fraction * (right - left) }
    func y(_ fraction: Double) -> Double { bottom - fraction * (bottom - top) }

    /// Draws everything but the data; ticks are (fraction along the axis, label) pairs.
    func draw(into document: inout SVGDocument, title: String, xLabel: String, yLabel: String,
              xTicks: [(fraction: Double, label: String)], yTicks: [(fraction: Double, label: String)],
              xGrid: Bool = true) {
        document.text(title, at: (Double(document.width) / 2, 24), anchor: "middle", fontSize: 15, class: "title")
        document.beginGroup(class: "grid")
        for tick in yTicks {
            document.line(from: (left, y(tick.fraction)), to: (right, y(tick.fraction)), stroke: "#e5e5e5")
        }
        if xGrid {
            for tick in xTicks {
                document.line(from: (x(tick.fraction), top), to: (x(tick.fraction), bottom), stroke: "#e5e5e5")
            }
        }
        document.endGroup()
        document.beginGroup(class: "axes")
        document.line(from: (left, bottom), to: (right, bottom), stroke: "#333333")
        document.line(from: (left, top), to: (left, bottom), stroke: "#333333")
        document.endGroup()
        document.beginGroup(class: "x-ticks")
        for tick in xTicks {
            document.line(from: (x(tick.fraction), bottom), to: (x(tick.fraction), bottom + 5), stroke: "#333333")
            document.text(tick.label, at: (x(tick.fraction), bottom + 18), anchor: "middle", class: "x-tick-label")
        }
        document.endGroup()
        document.beginGroup(class: "y-ticks")
        for tick in yTicks {
            document.line(from: (left - 5, y(tick.fraction)), to: (left, y(tick.fraction)), stroke: "#333333")
            document.text(tick.label, at: (left - 8, y(tick.fraction) + 4), anchor: "end", class: "y-tick-label")
        }
        document.endGroup()
        document.text(xLabel, at: ((left + right) / 2, bottom + 40), anchor: "middle", class: "x-label")
        document.text(yLabel, at: (16, (top + bottom) / 2), anchor: "middle", rotation: -90, class: "y-label")
    }
}
