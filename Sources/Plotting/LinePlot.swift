/// A line chart of one or more series, rendered as a standalone SVG image.
///
/// Each series becomes one `<polyline>` in its own colour (and, past ten series, dash
/// pattern); a series of a single point also gets a dot so it stays visible. Axes carry
/// "nice" ticks (1, 2 or 5 times a power of ten; whole decades on a logarithmic y axis)
/// and a legend names the series when there is more than one. Points with a non-finite
/// coordinate, or a y ≤ 0 on a logarithmic axis, are left out.
///
/// Training curves, learning-rate schedules and sweep results all fit this one shape,
/// and SVG needs no plotting library: any browser shows it, and reports embed it.
public struct LinePlot: Sendable {
    /// One named line: (x, y) points drawn in the given order.
    public struct Series: Sendable {
        public var name: String
        public var points: [(Double, Double)]

        public init(name: String, points: [(Double, Double)]) {
            self.name = name
            self.points = points
        }
    }

    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var series: [Series]
    /// Whether the y axis is logarithmic (base 10), as for losses that span decades.
    public var logarithmicY: Bool

    public init(title: String, xLabel: String, yLabel: String, series: [Series], logarithmicY: Bool = false) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.series = series
        self.logarithmicY = logarithmicY
    }

    /// The chart as a complete SVG document of `width` × `height` pixels.
    public func svg(width: Int = 640, height: Int = 400) -> String {
        precondition(width > 0 && height > 0, "An SVG needs a positive size, got \(width)×\(height)")
        let shownSeries = series.map { line in
            line.points.filter { $0.0.isFinite && $0.1.isFinite && (!logarithmicY || $0.1 > 0) }
        }
        let allPoints = shownSeries.flatMap { $0 }
        let xScale = AxisScale.linear(covering: allPoints.map(\.0), targetTickCount: 7)
        let yValues = allPoints.map(\.1)
        let yScale = logarithmicY ? AxisScale.logarithmic(covering: yValues) : AxisScale.linear(covering: yValues)
        let xTicks = xScale.ticks.map { (fraction: xScale.fraction(of: $0), label: xScale.label(forTick: $0)) }
        let yTicks = yScale.ticks.map { (fraction: yScale.fraction(of: $0), label: yScale.label(forTick: $0)) }
        let hasLegend = series.count > 1
        let legendWidth = hasLegend ? Legend.width(names: series.map(\.name)) : 0
        let frame = PlotFrame(width: width, height: height, longestYTickLabel: yTicks.map(\.label.count).max() ?? 0,
                              legendWidth: legendWidth)
        var document = SVGDocument(width: width, height: height)
        frame.draw(into: &document, title: title, xLabel: xLabel, yLabel: yLabel, xTicks: xTicks, yTicks: yTicks)
        document.beginGroup(class: "series")
        for (index, points) in shownSeries.enumerated() {
            let pixels = points.map { (x: frame.x(xScale.fraction(of: $0.0)), y: frame.y(yScale.fraction(of: $0.1))) }
            let colour = PlotPalette.colour(forSeries: index)
            document.polyline(pixels, stroke: colour, strokeWidth: 1.75, dash: PlotPalette.dash(forSeries: index),
                              class: "series-line")
            if pixels.count == 1 {
                document.circle(centre: pixels[0], radius: 3, fill: colour)
            }
        }
        document.endGroup()
        if hasLegend {
            Legend.draw(names: series.map(\.name), into: &document, right: Double(width) - 10, top: frame.top)
        }
        return document.text
    }
}
