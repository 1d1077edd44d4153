import Foundation

/// A standalone SVG image assembled element by element, with every piece of text escaped.
///
/// Coordinates are pixels from the top-left corner, written with two decimals. Text
/// goes through `escaped(_:)`, which replaces the five XML special characters and drops
/// control characters that XML 1.0 forbids, so that titles and series names taken
/// from file names or recipes can never break the document.
///
/// Writing the few elements the plots need by hand keeps the module free of
/// dependencies, and the output is plain enough to diff between runs.
struct SVGDocument {
    let width: Int
    let height: Int
    private var elements: [String] = []

    init(width: Int, height: Int) {
        self.width = width
        self.height = height
        elements.append("<rect width=\"\(width)\" height=\"\(height)\" fill=\"white\"/>")
    }

    /// The complete document, XML declaration included.
    var text: String {
        var lines = [
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
            "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"\(width)\" height=\"\(height)\" "
                + "viewBox=\"0 0 \(width) \(height)\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\">",
        ]
        lines.append(contentsOf: elements)
        lines.append("</svg>")
        return lines.joined(separator: "\n") + "\n"
    }

    mutating func beginGroup(class name: String) {
        elements.append("<g class=\"\(Self.escaped(name))\">")
    }

    mutating func endGroup() {
        elements.append("</g>")
    }

    mutating func line(from start: (x: Double, y: Double), to end: (x: Double, y: Double), stroke: String,
                       strokeWidth: Double = 1, dash: String? = nil) {
        elements.append("<line x1=\"\(Self.number(start.x))\" y1=\"\(Self.number(start.y))\" "
            + "x2=\"\(Self.number(end.x))\" y2=\"\(Self.number(end.y))\" stroke=\"\(stroke)\" "
            + "stroke-width=\"\(Self.number(strokeWidth))\"\(Self.dashAttribute(dash))/>")
    }

    mutating func rectangle(x: Double, y: Double, width: Double, height: Double, fill: String, stroke: String? = nil) {
        let strokeAttribute = stroke.map { " stroke=\"\($0)\"" } ?? ""
        elements.append("<rect x=\"\(Self.number(x))\" y=\"\(Self.number(y))\" width=\"\(Self.number(width))\" "
            + "height=\"\(Self.number(height))\" fill=\"\(fill)\"\(strokeAttribute)/>")
    }

    mutating func circle(centre: (x: Double, y: Double), radius: Double, fill: String) {
        elements.append("<circle cx=\"\(Self.number(centre.x))\" cy=\"\(Self.number(centre.y))\" "
            + "r=\"\(Self.number(radius))\" fill=\"\(fill)\"/>")
    }

    mutating func polyline(_ points: [(x: Double, y: Double)], stroke: String, strokeWidth: Double,
                           dash: String? = nil, class name: String) {
        let coordinates = points.map { "\(Self.number($0.x)),\(Self.number($0.y))" }.joined(separator: " ")
        elements.append("<polyline class=\"\(Self.escaped(name))\" fill=\"none\" stroke=\"\(stroke)\" "
            + "stroke-width=\"\(Self.number(strokeWidth))\" stroke-linejoin=\"round\"\(Self.dashAttribute(dash)) "
            + "points=\"\(coordinates)\"/>")
    }

    /// Text anchored at (x, y); `anchor` is "start", "middle" or "end"; `rotation` in degrees about the anchor.
    mutating func text(_ content: String, at point: (x: Double, y: Double), anchor: String = "start",
                       fontSize: Double? = nil, rotation: Double? = nil, class name: String? = nil) {
        var attributes = "x=\"\(Self.number(point.x))\" y=\"\(Self.number(point.y))\" text-anchor=\"\(anchor)\""
        if let fontSize { attributes += " font-size=\"\(Self.number(fontSize))\"" }
        if let rotation {
            let centre = "\(Self.number(point.x)) \(Self.number(point.y))"
            attributes += " transform=\"rotate(\(Self.number(rotation)) \(centre))\""
        }
        if let name { attributes += " class=\"\(Self.escaped(name))\"" }
        elements.append("<text \(attributes)>\(Self.escaped(content))</text>")
    }

    /// `text` safe inside XML character data and attribute values.
    static func escaped(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&apos;"
            case "\t", "\n", "\r": result.unicodeScalars.append(scalar)
            case _ where scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF: continue
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    private static func number(_ value: Double) -> String {
        let text = String(format: "%.2f", value)
        return text == "-0.00" ? "0.00" : text
    }

    private static func dashAttribute(_ dash: String?) -> String {
        dash.map { " stroke-dasharray=\"\($0)\"" } ?? ""
    }
}
