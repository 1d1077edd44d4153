/// Means with ±1 standard-deviation error bars, one per category, rendered as a standalone SVG image.
///
/// Categories sit evenly spaced along the x axis in the given order, each labelled with
/// its name; the y axis has "nice" ticks covering every mean ± standard deviation. Each
/// point is a dot at the mean and a vertical bar with caps from mean − std to mean + std.
///
/// Final accuracies over several seeds are best compared as mean and spread, not as one
/// lucky run; this is the chart for "final top-1 per setting, with error bars".
public struct PointPlot: Sendable {
    /// One category's summary: the mean over runs and their standard deviation.
    public struct Point: Sendable, Equatable {
        public var category: String
        public var mean: Double
        public var standardDeviation: Double

        public init(category: String, mean: Double, standardDeviation: Double) {
            self.category = category
            self.mean = mean
            self.standardDeviation = standardDeviation
        }
    }

    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var points: [Point]

    public init(title: String, xLabel: String, yLabel: String, points: [Point]) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.points = points
    }

    /// The chart as a complete SVG document of `width` × `height` pixels.
    public func svg(width: Int = 640, height: Int = 400) -> String {
        precondition(width > 0 && height > 0, "An SVG needs a positive size, got \(width)×\(height)")
        let spreads = points.map { abs($0.standardDeviation).isFinite ? abs($0.standardDeviation) : 0 }
        let extremes = zip(points, spreads).flatMap { [$0.mean - $1, $0.mean + $1] }
        let yScale = AxisScale.linear(covering: extremes)
        let yTicks = yScale.ticks.map { (fraction: yScale.fraction(of: $0), label: yScale.label(forTick: $0)) }
        let xTicks = points.indices.map { index in
            (fraction: (Double(index) + 0.5) / Double(points.count), label: points[index].category)
        }
        let frame = PlotFrame(width: width, height: height, longestYTickLabel: yTicks.map(\.label.count).max() ?? 0,
                              legendWidth: 0)
        var document = SVGDocument(width: width, height: height)
        frame.draw(into: &document, title: title, xLabel: xLabel, yLabel: yLabel, xTicks: xTicks, yTicks: yTicks,
                   xGrid: false)
        let colour = PlotPalette.colour(forSeries: 0)
        let capHalfWidth = min(8, (frame.right - frame.left) / Double(max(points.count, 1)) / 4)
        for (index, point) in points.enumerated() where point.mean.isFinite {
            let x = frame.x(xTicks[index].fraction)
            let low = frame.y(yScale.fraction(of: point.mean - spreads[index]))
            let high = frame.y(yScale.fraction(of: point.mean + spreads[index]))
            document.beginGroup(class: "error-bar")
            document.line(from: (x, low), to: (x, high), stroke: colour, strokeWidth: 1.5)
            document.line(from: (x - capHalfWidth, low), to: (x + capHalfWidth, low), stroke: colour, strokeWidth: 1.5)
            document.line(from: (x - capHalfWidth, high), to: (x + capHalfWidth, high), stroke: colour,
                          strokeWidth: 1.5)
            document.circle(centre: (x, frame.y(yScale.fraction(of: point.mean))), radius: 4, fill: colour)
            document.endGroup()
        }
        return document.text
    }
}
