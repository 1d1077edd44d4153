import Yams

/// Reads one YAML node as a typed value, and turns anything else into a `RecipeError` at the node's position.
///
/// A reader knows the node, the dotted key it sits under (`schedule.epochs`) and its
/// source (a file, or a `--set` override whose positions mean nothing to the user), so
/// every error it throws names all three. Scalars are typed by YAML's own resolution:
/// `10` is an integer, `'10'` is a string, so a quoted number where a number belongs is
/// an error rather than a guess. Public so that the other YAML files Hone reads
/// (experiments, pipelines) report errors exactly as recipes do.
public struct YAMLNodeReader {
    /// The node to read.
    public let node: Node
    /// The file path or `--set ...` text errors name.
    public let source: String
    /// The dotted key of `node`; empty for the document itself.
    public let keyPath: String
    /// Whether line and column point into something the user can open (false for overrides).
    public let reportsPositions: Bool

    public init(node: Node, source: String, keyPath: String, reportsPositions: Bool) {
        self.node = node
        self.source = source
        self.keyPath = keyPath
        self.reportsPositions = reportsPositions
    }

    /// A reader for `child`, found under `key` in this reader's mapping.
    public func child(_ child: Node, key: String) -> YAMLNodeReader {
        YAMLNodeReader(node: child, source: source, keyPath: keyPath.isEmpty ? key : "\(keyPath).\(key)",
                       reportsPositions: reportsPositions)
    }

    /// A reader for the `index`th element of this reader's list, its key `key[index]`.
    public func element(_ element: Node, index: Int) -> YAMLNodeReader {
        YAMLNodeReader(node: element, source: source, keyPath: "\(keyPath)[\(index)]", reportsPositions: reportsPositions)
    }

    /// An error about this node (or `mark`, when given), under this reader's key.
    public func error(_ message: String, at mark: Mark? = nil, keyPath: String? = nil) -> RecipeError {
        let position = reportsPositions ? (mark ?? node.mark) : nil
        let key = keyPath ?? self.keyPath
        return RecipeError(source: source, line: position?.line, column: position?.column,
                           keyPath: key.isEmpty ? nil : key, message: message)
    }

    /// An "expected ..., found ..." error about this node.
    public func mismatch(expected: String) -> RecipeError {
        error("expected \(expected), found \(Self.describe(node))")
    }

    /// True for an explicit or empty null: `key:`, `key: ~`, `key: null`.
    public var isNull: Bool {
        guard case let .scalar(scalar) = node else { return false }
        return scalar.tagName == .null
    }

    /// The node as an integer of at least `minimum`.
    func integer(atLeast minimum: Int) throws(RecipeError) -> Int {
        let expected = "an integer \(minimum == 1 ? "> 0" : ">= \(minimum)")"
        guard case let .scalar(scalar) = node, scalar.tagName == .int, let value = Int.construct(from: scalar),
              value >= minimum else {
            throw mismatch(expected: expected)
        }
        return value
    }

    /// The node as an unsigned 64-bit integer.
    public func unsignedInteger() throws(RecipeError) -> UInt64 {
        guard case let .scalar(scalar) = node, scalar.tagName == .int,
              let value = UInt64.construct(from: scalar) else {
            throw mismatch(expected: "an integer from 0 to \(UInt64.max)")
        }
        return value
    }

    /// The node as a finite number (an integer is fine) within `range`.
    func number(_ range: NumberRange) throws(RecipeError) -> Double {
        guard case let .scalar(scalar) = node, let value = Self.number(scalar), value.isFinite,
              range.contains(value) else {
            throw mismatch(expected: range.description)
        }
        return value
    }

    /// The node as a boolean: `true` or `false` (YAML 1.1's `yes`, `no`, `on`, `off` too).
    func boolean() throws(RecipeError) -> Bool {
        guard case let .scalar(scalar) = node, scalar.tagName == .bool, let value = Bool.construct(from: scalar) else {
            throw mismatch(expected: "true or false")
        }
        return value
    }

    /// The node as a non-empty string; any non-null scalar reads as its text. `expected` describes it in errors.
    public func text(expected: String = "a string") throws(RecipeError) -> String {
        guard case let .scalar(scalar) = node, scalar.tagName != .null, !scalar.string.isEmpty else {
            throw mismatch(expected: expected)
        }
        return scalar.string
    }

    /// The node as a non-empty list of readers, one per element; `expected` describes the list in errors.
    public func elements(expected: String) throws(RecipeError) -> [YAMLNodeReader] {
        guard case let .sequence(sequence) = node, !sequence.isEmpty else { throw mismatch(expected: expected) }
        return sequence.enumerated().map { element($1, index: $0) }
    }

    /// The entries of a mapping node in document order, each with its key's position and a reader; null is empty.
    public func entries(expected: String) throws(RecipeError) -> [(key: String, keyMark: Mark?, reader: YAMLNodeReader)] {
        var entries: [(key: String, keyMark: Mark?, reader: YAMLNodeReader)] = []
        for entry in try mappingEntries(expected: expected) {
            guard !entry.key.isEmpty else { throw error("expected a key name, found ''", at: entry.keyMark) }
            entries.append((entry.key, entry.keyMark, child(entry.value, key: entry.key)))
        }
        return entries
    }

    /// The node written back as flow YAML that reads as the same value: `0.1`, `'10'`, `[0.35, 1.0]`, `{a: 1}`.
    ///
    /// Plain scalars stay plain (so `0.1` stays a number); strings are single-quoted when
    /// their text would otherwise read as another type or break a flow collection. This
    /// is how an experiment's cell turns into `--set key=value` text.
    public func flowText() throws(RecipeError) -> String {
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
            for (index, item) in sequence.enumerated() { items.append(try element(item, index: index).flowText()) }
            return "[" + items.joined(separator: ", ") + "]"
        case .mapping:
            var items: [String] = []
            for entry in try entries(expected: "a mapping") { items.append("\(entry.key): \(try entry.reader.flowText())") }
            return "{" + items.joined(separator: ", ") + "}"
        case .alias:
            throw error("aliases are not supported here; write the value out")
        }
    }

    /// The node as one of `choices`, by its text.
    func choice(among choices: [String]) throws(RecipeError) -> String {
        let list = choices.joined(separator: ", ")
        guard case let .scalar(scalar) = node, scalar.tagName != .null else {
            throw mismatch(expected: "one of \(list)")
        }
        guard choices.contains(scalar.string) else {
            throw error("'\(scalar.string)' is not a valid choice; expected one of \(list)")
        }
        return scalar.string
    }

    /// The node as a case of `Choice`, by its raw value.
    func choice<Choice: RawRepresentable & CaseIterable>(_ type: Choice.Type) throws(RecipeError) -> Choice
    where Choice.RawValue == String {
        let raw = try choice(among: Choice.allCases.map(\.rawValue))
        return Choice(rawValue: raw)!
    }

    /// The node as a case of `Choice`, or nil for null.
    func optionalChoice<Choice: RawRepresentable & CaseIterable>(_ type: Choice.Type) throws(RecipeError) -> Choice?
    where Choice.RawValue == String {
        if isNull { return nil }
        let choices = Choice.allCases.map(\.rawValue)
        guard case let .scalar(scalar) = node else {
            throw mismatch(expected: "one of \(choices.joined(separator: ", ")), or null")
        }
        guard let value = Choice(rawValue: scalar.string) else {
            let list = choices.joined(separator: ", ")
            throw error("'\(scalar.string)' is not a valid choice; expected one of \(list), or null")
        }
        return value
    }

    /// The node as a list of strictly increasing integers, each at least `minimum`.
    func increasingIntegers(atLeast minimum: Int) throws(RecipeError) -> [Int] {
        let expected = "a list of increasing integers \(minimum == 1 ? "> 0" : ">= \(minimum)"), such as [30, 60, 80]"
        guard case let .sequence(sequence) = node else { throw mismatch(expected: expected) }
        var values: [Int] = []
        for (index, item) in sequence.enumerated() {
            let element = element(item, index: index)
            let value = try element.integer(atLeast: minimum)
            if let previous = values.last, value <= previous {
                throw element.error("expected increasing values, but \(value) follows \(previous)")
            }
            values.append(value)
        }
        return values
    }

    /// A list of numbers, each within `range`, of one of the `counts` lengths.
    func numbers(_ range: NumberRange, counts: [Int]) throws(RecipeError) -> [Double] {
        let lengths = counts.map(String.init).joined(separator: " or ")
        let expected = "a list of \(lengths) numbers, each \(range.description)"
        if isNull && counts.contains(0) { return [] }
        guard case let .sequence(sequence) = node, counts.contains(sequence.count) else {
            throw mismatch(expected: expected)
        }
        var values: [Double] = []
        for (index, item) in sequence.enumerated() {
            values.append(try element(item, index: index).number(range))
        }
        return values
    }

    /// A `[low, high]` pair of numbers within `range` with low <= high.
    func numberRange(_ range: NumberRange) throws(RecipeError) -> ClosedRange<Double> {
        let values = try numbers(range, counts: [2])
        guard values[0] <= values[1] else {
            throw error("expected [low, high] with low <= high, found [\(values[0]), \(values[1])]")
        }
        return values[0]...values[1]
    }

    /// The entries of a mapping node, in document order; a null node is an empty mapping.
    func mappingEntries(expected: String) throws(RecipeError) -> [(key: String, keyMark: Mark?, value: Node)] {
        if isNull { return [] }
        guard case let .mapping(mapping) = node else { throw mismatch(expected: expected) }
        var entries: [(key: String, keyMark: Mark?, value: Node)] = []
        for (key, value) in mapping {
            guard case let .scalar(scalar) = key else {
                throw error("expected a key name, found \(Self.describe(key))", at: key.mark)
            }
            entries.append((scalar.string, key.mark, value))
        }
        return entries
    }

    /// How a node reads in an error message: `'ten'`, `null`, `a list`, `a mapping`.
    public static func describe(_ node: Node) -> String {
        switch node {
        case let .scalar(scalar): scalar.tagName == .null ? "null" : "'\(scalar.string)'"
        case let .sequence(sequence): sequence.isEmpty ? "an empty list" : "a list"
        case .mapping: "a mapping"
        case .alias: "an alias"
        }
    }

    /// A scalar's number, if YAML resolves it as an integer or a float.
    private static func number(_ scalar: Node.Scalar) -> Double? {
        switch scalar.tagName {
        case .int: Int.construct(from: scalar).map(Double.init)
        case .float: Double.construct(from: scalar)
        default: nil
        }
    }
}

extension Node.Scalar {
    /// The scalar's resolved tag (`int`, `float`, `str`, `null`, ...); Yams keeps `Tag.name` internal
    /// and resolves an implicit tag only through `Node.tag`.
    var tagName: Tag.Name { Tag.Name(rawValue: Node.scalar(self).tag.rawValue) }
}
