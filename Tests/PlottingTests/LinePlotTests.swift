import Foundation
import Plotting
import Testing

struct LinePlotTests {
    private let schedule = LinePlot.Series(name: "lr", points: (0...100).map { step in
        (Double(step), 0.05 * (1 + cos(Double.pi * Double(step) / 100)))
    })

    @Test func svgIsWellFormedXMLWithTheRequestedSize() throws {
        let plot = LinePlot(title: "Learning rate", xLabel: "step", yLabel: "learning rate", series: [schedule])
        let svg = plot.svg(width: 500, height: 300)
        let parsed = try #require(SVGElements.parse(svg))
        let root = try #require(parsed.elements.first)
        #expect(root.name == "svg")
        #expect(root.attributes["width"] == "500")
        #expect(root.attributes["height"] == "300")
        #expect(root.attributes["xmlns"] == "http://www.w3.org/2000/svg")
        #expect(parsed.withClass("title").map(\.text) == ["Learning rate"])
        #expect(parsed.withClass("x-label").map(\.text) == ["step"])
        #expect(parsed.withClass("y-label").map(\.text) == ["learning rate"])
    }

    @Test func everySeriesIsOnePolylineInItsOwnColour() throws {
        let series = (0..<3).map { index in
            LinePlot.Series(name: "seed \(index)", points: [(0, Double(index)), (1, Double(index) + 1)])
        }
        let parsed = try #require(SVGElements.parse(LinePlot(title: "t", xLabel: "x", yLabel: "y", series: series).svg()))
        let polylines = parsed.named("polyline")
        #expect(polylines.count == 3)
        #expect(Set(polylines.compactMap { $0.attributes["stroke"] }).count == 3)
        for polyline in polylines {
            #expect(polyline.attributes["points"]?.split(separator: " ").count == 2)
        }
    }

    @Test func pointsStayInsideTheImage() throws {
        let plot = LinePlot(title: "t", xLabel: "x", yLabel: "y", series: [schedule])
        let parsed = try #require(SVGElements.parse(plot.svg(width: 640, height: 400)))
        let points = try #require(parsed.named("polyline").first?.attributes["points"])
        for pair in points.split(separator: " ") {
            let coordinates = pair.split(separator: ",").compactMap { Double($0) }
            #expect(coordinates.count == 2)
            #expect((0...640).contains(coordinates[0]) && (0...400).contains(coordinates[1]))
        }
    }

    @Test(arguments: [(0.0, 1.0), (0.0, 0.1), (-3.7, 12.2), (1e-5, 4e-4), (0.0, 96_000.0), (0.9312, 0.9387)])
    func tickLabelsAreNiceNumbers(range: (Double, Double)) throws {
        let series = LinePlot.Series(name: "values", points: [(range.0, range.0), (range.1, range.1)])
        let parsed = try #require(SVGElements.parse(LinePlot(title: "t", xLabel: "x", yLabel: "y", series: [series]).svg()))
        for axis in ["x-tick-label", "y-tick-label"] {
            let ticks = parsed.withClass(axis).compactMap { Double($0.text) }
            #expect(ticks.count == parsed.withClass(axis).count, "every \(axis) parses as a number")
            #expect(ticks.count >= 3)
            #expect(try #require(ticks.first) <= range.0 && range.1 <= ticks.last!, "the ticks cover the data")
            let step = ticks[1] - ticks[0]
            let power = pow(10, log10(step).rounded(.down))
            let mantissa = (step / power * 1000).rounded() / 1000
            #expect([1, 2, 5, 10].contains(mantissa), "step \(step) is 1, 2 or 5 times a power of ten")
            for (lower, upper) in zip(ticks, ticks.dropFirst()) {
                #expect(abs((upper - lower) - step) <= step * 1e-6, "ticks are evenly spaced")
            }
            for tick in ticks {
                #expect(abs(tick / step - (tick / step).rounded()) <= 1e-6, "\(tick) is a multiple of \(step)")
            }
        }
    }

    @Test func logarithmicAxisTicksArePowersOfTenAndDropNonPositiveValues() throws {
        let loss = LinePlot.Series(name: "loss", points: [(0, 2.3), (1, 0.4), (2, 0.05), (3, 0), (4, -1)])
        let plot = LinePlot(title: "t", xLabel: "epoch", yLabel: "loss", series: [loss], logarithmicY: true)
        let parsed = try #require(SVGElements.parse(plot.svg()))
        let ticks = parsed.withClass("y-tick-label").compactMap { Double($0.text) }
        #expect(ticks.first == 0.01)
        #expect(ticks.last == 10)
        for decade in [0.01, 0.1, 1, 10] { #expect(ticks.contains(decade)) }
        #expect(parsed.named("polyline").first?.attributes["points"]?.split(separator: " ").count == 3)
    }

    @Test func legendAppearsOnlyForTwoOrMoreSeries() throws {
        let single = try #require(SVGElements.parse(
            LinePlot(title: "t", xLabel: "x", yLabel: "y", series: [schedule]).svg()))
        #expect(single.withClass("legend").isEmpty)
        #expect(single.withClass("legend-label").isEmpty)
        let other = LinePlot.Series(name: "step decay", points: [(0, 0.1), (50, 0.01), (100, 0.001)])
        let double = try #require(SVGElements.parse(
            LinePlot(title: "t", xLabel: "x", yLabel: "y", series: [schedule, other]).svg()))
        #expect(double.withClass("legend").count == 1)
        #expect(double.withClass("legend-label").map(\.text) == ["lr", "step decay"])
    }

    @Test func textIsEscaped() throws {
        let awkward = "a < b & \"c\" > 'd'"
        let series = [LinePlot.Series(name: awkward, points: [(0, 1), (1, 2)]),
                      LinePlot.Series(name: "<script>", points: [(0, 2), (1, 1)])]
        let svg = LinePlot(title: awkward, xLabel: "x & y", yLabel: "<y>", series: series).svg()
        #expect(!svg.contains("<script>"))
        #expect(svg.contains("a &lt; b &amp; &quot;c&quot; &gt; &apos;d&apos;"))
        let parsed = try #require(SVGElements.parse(svg))
        #expect(parsed.withClass("title").map(\.text) == [awkward])
        #expect(parsed.withClass("x-label").map(\.text) == ["x & y"])
        #expect(parsed.withClass("legend-label").map(\.text) == [awkward, "<script>"])
    }

    @Test func controlCharactersAreDropped() throws {
        let plot = LinePlot(title: "bell\u{7}tab\there", xLabel: "x", yLabel: "y", series: [schedule])
        let parsed = try #require(SVGElements.parse(plot.svg()))
        #expect(parsed.withClass("title").map(\.text) == ["belltab\there"])
    }

    @Test func degenerateDataStillMakeAValidImage() throws {
        let cases: [[LinePlot.Series]] = [
            [],
            [LinePlot.Series(name: "empty", points: [])],
            [LinePlot.Series(name: "one point", points: [(3, 0.5)])],
            [LinePlot.Series(name: "constant", points: [(0, 0.1), (10, 0.1)])],
            [LinePlot.Series(name: "diverged", points: [(0, 2.3), (1, .nan), (2, .infinity), (3, 1.2)])],
        ]
        for series in cases {
            let svg = LinePlot(title: "t", xLabel: "x", yLabel: "y", series: series).svg()
            let parsed = try #require(SVGElements.parse(svg))
            #expect(parsed.named("polyline").count == series.count)
            #expect(!svg.contains("nan") && !svg.contains("inf"))
        }
        let onePoint = try #require(SVGElements.parse(
            LinePlot(title: "t", xLabel: "x", yLabel: "y", series: [LinePlot.Series(name: "p", points: [(3, 0.5)])]).svg()))
        #expect(onePoint.named("circle").count == 1)
    }
}
