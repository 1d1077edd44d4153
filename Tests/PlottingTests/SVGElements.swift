import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// The elements of an XML document in document order, parsed with Foundation's `XMLParser`.
///
/// Parsing fails (returns nil) for a document that is not well-formed, so tests that
/// build one also prove the SVG opens in a browser.
final class SVGElements: NSObject, XMLParserDelegate {
    struct Element {
        var name: String
        var attributes: [String: String]
        var text: String
    }

    private(set) var elements: [Element] = []
    private var open: [Int] = []

    static func parse(_ document: String) -> SVGElements? {
        let parser = XMLParser(data: Data(document.utf8))
        let collector = SVGElements()
        parser.delegate = collector
        return parser.parse() ? collector : nil
    }

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName: String?, attributes: [String: String]) {
        open.append(elements.count)
        elements.append(Element(name: elementName, attributes: attributes, text: ""))
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if let current = open.last { elements[current].text += string }
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?,
                qualifiedName: String?) {
        open.removeLast()
    }

    func named(_ name: String) -> [Element] {
        elements.filter { $0.name == name }
    }

    func withClass(_ name: String) -> [Element] {
        elements.filter { $0.attributes["class"] == name }
    }
}
