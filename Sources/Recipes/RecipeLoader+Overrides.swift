import Foundation
import Yams

extension RecipeLoader {
    /// Applies one `key=value` override: a dotted key, and a value read as YAML (a scalar, `[5, 8]`, `{a: 1}`).
    ///
    /// The value is validated exactly as the same key in a file would be; errors name
    /// `--set key=value` as their source. A section key takes a flow mapping
    /// (`--set 'model={name: resnet50, width: 0.5}'`), which sets only the keys given.
    static func apply(override: String, schema: [RecipeKey], to recipe: inout Recipe) throws(RecipeError) {
        let source = "--set \(override)"
        guard let equals = override.firstIndex(of: "=") else {
            throw RecipeError(source: source, message: "expected key=value, such as --set schedule.epochs=20")
        }
        let path = override[..<equals].trimmingCharacters(in: .whitespaces)
        let valueText = String(override[override.index(after: equals)...])
        guard !path.isEmpty else {
            throw RecipeError(source: source, message: "expected key=value with a dotted key before '='")
        }
        let null = Node("null", Tag(.null))
        let value = try compose(valueText, source: source, reportsPositions: false) ?? null
        let segments = path.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        var keys = schema
        var section = YAMLNodeReader(node: null, source: source, keyPath: "", reportsPositions: false)
        for (index, segment) in segments.enumerated() {
            guard let key = keys.first(where: { $0.name == segment }) else {
                throw unknownKey(segment, in: section, keys: keys, at: nil)
            }
            let isLast = index == segments.count - 1
            switch key.content {
            case .value where isLast:
                try read(key, section.child(value, key: segment), into: &recipe)
            case .value:
                let remainder = segments[(index + 1)...].joined(separator: ".")
                throw section.error("'\(segment)' is a value, not a section; it has no key '\(remainder)'",
                                    keyPath: section.child(value, key: segment).keyPath)
            case .section where isLast:
                try read(key, section.child(value, key: segment), into: &recipe)
            case let .section(children):
                keys = children
                section = section.child(section.node, key: segment)
            }
        }
    }
}
