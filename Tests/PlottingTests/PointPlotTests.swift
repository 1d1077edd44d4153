import Plotting
import Testing

struct PointPlotTests {
    private let plot = PointPlot(title: "Final top-1 over 3 seeds", xLabel: "label smoothing", yLabel: "top-1 (%)",
                                 points: [
                                     PointPlot.Point(category: "0.0", mean: 76.1, standardDeviation: 0.12),
                                     PointPlot.Point(category: "0.1", mean: 76.6, standardDeviation: 0.08),
                                     PointPlot.Point(category: "0.2 & more", mean: 76.4, standardDeviation: 0.3),
                                 ])

    @Test func svgIsWellFormedWithOneErrorBarAndLabelPerCategory() throws {
        let parsed = try #require(SVGElements.parse(plot.svg()))
        #expect(parsed.withClass("error-bar").count == 3)
        #expect(parsed.named("circle").count == 3)
        #expect(parsed.withClass("x-tick-label").map(\.text) == ["0.0", "0.1", "0.2 & more"])
    }

    @Test func yTicksCoverEveryMeanPlusOrMinusItsDeviation() throws {
        let parsed = try #require(SVGElements.parse(plot.svg()))
        let ticks = parsed.withClass("y-tick-label").compactMap { Double($0.text) }
        #expect(try #require(ticks.first) <= 76.1 - 0.12)
        #expect(try #require(ticks.last) >= 76.4 + 0.3)
    }

    @Test func errorBarsSpanMeanPlusOrMinusDeviation() throws {
        let single = PointPlot(title: "t", xLabel: "x", yLabel: "y",
                               points: [PointPlot.Point(category: "a", mean: 0.5, standardDeviation: 0.25)])
        let parsed = try #require(SVGElements.parse(single.svg(width: 400, height: 300)))
        let centre = try #require(parsed.named("circle").first?.attributes["cy"].flatMap(Double.init))
        let colour = try #require(parsed.named("circle").first?.attributes["fill"])
        let bars = parsed.named("line").filter { $0.attributes["stroke"] == colour && $0.attributes["x1"] == $0.attributes["x2"] }
        #expect(bars.count == 1)
        let bar = try #require(bars.first)
        let top = try #require(bar.attributes["y2"].flatMap(Double.init))
        let bottom = try #require(bar.attributes["y1"].flatMap(Double.init))
        #expect(abs((bottom - centre) - (centre - top)) < 0.02, "the bar is symmetric about the mean")
    }

    @Test func noPointsStillMakeAValidImage() throws {
        let empty = PointPlot(title: "t", xLabel: "x", yLabel: "y", points: [])
        #expect(SVGElements.parse(empty.svg()) != nil)
    }
}
