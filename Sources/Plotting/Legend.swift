/// The key that names each series of a chart next to a sample of its line.
///
/// Drawn to the right of the plotting area, one row per series in series order, so it
/// never hides data; `PlotFrame` leaves room for it.
enum Legend {
    static let sampleLength = 22.0
    static let rowHeight = 18.0
    static let longestName = 28

    /// The room the legend takes, from the longest name (capped, so one long name cannot squeeze the chart).
    static func width(names: [String]) -> Double {
        let longest = min(names.map(\.count).max() ?? 0, longestName)
        return sampleLength + 16 + PlotFrame.characterWidth * Double(longest)
    }

    static func draw(names: [String], into document: inout SVGDocument, right: Double, top: Double) {
        let left = right - width(names: names)
        document.beginGroup(class: "legend")
        document.rectangle(x: left - 4, y: top - 4, width: width(names: names) + 4,
                           height: rowHeight * Double(names.count) + 8, fill: "white", stroke: "#cccccc")
        for (index, name) in names.enumerated() {
            let rowMiddle = top + rowHeight * (Double(index) + 0.5)
            document.line(from: (left + 2, rowMiddle), to: (left + 2 + sampleLength, rowMiddle),
                          stroke: PlotPalette.colour(forSeries: index), strokeWidth: 2.5,
                          dash: PlotPalette.dash(forSeries: index))
            let shown = name.count > longestName ? name.prefix(longestName - 1) + "…" : name
            document.text(shown, at: (left + sampleLength + 8, rowMiddle + 4), class: "legend-label")
        }
        document.endGroup()
    }
}
