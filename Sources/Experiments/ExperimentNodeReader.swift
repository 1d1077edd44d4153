import Yams

/// Reads one node of an experiment file as a typed value, and turns anything else into an `ExperimentError` there.
///
/// Like the recipe loader's reader: it knows the node, the dotted key above it and the
/// file, so every error names all three. Scalars keep YAML's typing: `'3'` is a string,
/// not a seed.
struct ExperimentNodeReader {
    let node: Node
    let source: String
    /// The dotted key of `node`; empty for the document itself.
    let keyPath: String

    /// A reader for `child`, found under `key` in this reader's mapping (or `[index]` in its list).
    func child(_ child: Node, key: String) -> ExperimentNodeReader {
        let path = key.hasPrefix("[") ? keyPath + key : (keyPath.isEmpty ? key : "\(keyPath).\(key)")
        return ExperimentNodeReader(node: child, source: source, keyPath: path)
    }

    /// Where the node starts.
    var location: SourceLocation? {
        node.mark.map { SourceLocation(line: $0.line, column: $0.column) }
    }

    /// An error about this node (or `mark`, when given), under this reader's key.
    func error(_ message: String, at mark: Mark? = nil) -> ExperimentError {
        let position = mark ?? node.mark
        return ExperimentError(source: source, line: position?.line, column: position?.column,
                               keyPath: keyPath.isEmpty ? nil : keyPath, message: message)
    }

    /// An "expected ..., found ..." error about this node.
    func mismatch(expected: String) -> ExperimentError {
        error("expected \(expected), found \(Self.describe(node))")
    }

    var isNull: Bool {
        guard case let .scalar(scalar) = node else { return false }
        return Node.scalar(scalar).tag.rawValue == Tag.Name.null.rawValue
    }

    /// The node as a non-empty string.
    func text(expected: String = "a string") throws(ExperimentError) -> String {
        guard case let .scalar(scalar) = node, !isNull, !scalar.string.isEmpty else {
            throw mismatch(expected: expected)
        }
        return scalar.string
    }

    /// The node as a list of readers, one per element; `expected` describes the list for errors.
    func elements(expected: String) throws(ExperimentError) -> [ExperimentNodeReader] {
        guard case let .sequence(sequence) = node, !sequence.isEmpty else { throw mismatch(expected: expected) }
        return sequence.enumerated().map { child($1, key: "[\($0)]") }
    }

    /// The node as an unsigned 64-bit integer.
    func unsignedInteger() throws(ExperimentError) -> UInt64 {
        guard case let .scalar(scalar) = node, Node.scalar(scalar).tag.rawValue == Tag.Name.int.rawValue,
              let value = UInt64.construct(from: scalar) else {
            throw mismatch(expected: "an integer from 0 to \(UInt64.max)")
        }
        return value
    }

    /// The entries of a mapping node in document order, each with a reader; null is an empty mapping.
    func entries(expected: String) throws(ExperimentError) -> [(key: String, keyMark: Mark?, reader: ExperimentNodeReader)] {
        if isNull { return [] }
        guard case let .mapping(mapping) = node else { throw mismatch(expected: expected) }
        var entries: [(key: String, keyMark: Mark?, reader: ExperimentNodeReader)] = []
        for (key, value) in mapping {
            guard case let .scalar(scalar) = key, !scalar.string.isEmpty else {
                throw error("expected a key name, found \(Self.describe(key))", at: key.mark)
            }
            entries.append((scalar.string, key.mark, child(value, key: scalar.string)))
        }
        return entries
    }

    /// The node written back as flow YAML that reads as the same value: `0.1`, `'10'`, `[0.35, 1.0]`, `{a: 1}`.
    ///
    /// Plain scalars stay plain (so `0.1` stays a number); strings are single-quoted when
    /// their text would otherwise read as another type or break a flow collection.
    func flowText() throws(ExperimentError) -> String {
        switch node {
        case let .scalar(scalar):
            let isPlain = scalar.style == .plain || scalar.style == .any
            let needsQuotes = !isPlain || scalar.string.isEmpty
                || scalar.string.contains(where: { ",[]{}#&*!|>'\"%@`".contains($0) })
                || scalar.string.contains(": ") || scalar.string.first == " " || scalar.string.last == " "
            guard needsQuotes else { return scalar.string }
            return "'" + scalar.string.replacingOccurrences(of: "'", with: "''") + "'"
        case let .sequence(sequence):
            var items: [String] = []
            for (index, item) in sequence.enumerated() { items.append(try child(item, key: "[\(index)]").flowText()) }
            return "[" + items.joined(separator: ", ") + "]"
        case .mapping:
            var items: [String] = []
            for entry in try entries(expected: "a mapping") { items.append("\(entry.key): \(try entry.reader.flowText())") }
            return "{" + items.joined(separator: ", ") + "}"
        case .alias:
            throw error("aliases are not supported in an experiment file; write the value out")
        }
    }

    /// How a node reads in an error message: `'ten'`, `null`, `a list`, `a mapping`.
    static func describe(_ node: Node) -> String {
        switch node {
        case let .scalar(scalar):
            Node.scalar(scalar).tag.rawValue == Tag.Name.null.rawValue ? "null" : "'\(scalar.string)'"
        case let .sequence(sequence): sequence.isEmpty ? "an empty list" : "a list"
        case .mapping: "a mapping"
        case .alias: "an alias"
        }
    }
}
