import Yams

/// Reads one YAML node as a typed value, and turns anything else into a `RecipeError` at the node's position.
///
/// A reader knows the node, the dotted key it sits under (`schedule.epochs`) and its
/// source (a file, or a `--set` override whose positions mean nothing to the user), so
/// every error it throws names all three. Scalars are typed by YAML's own resolution:
/// `10` is an integer, `'10'` is a string, so a quoted number where a number belongs is
/// an error rather than a guess.
struct YAMLNodeReader {
    /// The node to read.
    let node: Node
    /// The file path or `--set ...` text errors name.
    let source: String
    /// The dotted key of `node`; empty for the document itself.
    let keyPath: String
    /// Whether line and column point into something the user can open (false for overrides).
    let reportsPositions: Bool

    /// A reader for `child`, found under `key` in this reader's mapping.
    func child(_ child: Node, key: String) -> YAMLNodeReader {
        YAMLNodeReader(node: child, source: source, keyPath: keyPath.isEmpty ? key : "\(keyPath).\(key)",
                       reportsPositions: reportsPositions)
    }

    /// An error about this node (or `mark`, when given), under this reader's key.
    func error(_ message: String, at mark: Mark? = nil, keyPath: String? = nil) -> RecipeError {
        let position = reportsPositions ? (mark ?? node.mark) : nil
        let key = keyPath ?? self.keyPath
        return RecipeError(source: source, line: position?.line, column: position?.column,
                           keyPath: key.isEmpty ? nil : key, message: message)
    }

    /// An "expected ..., found ..." error about this node.
    func mismatch(expected: String) -> RecipeError {
        error("expected \(expected), found \(Self.describe(node))")
    }

    /// True for an explicit or empty null: `key:`, `key: ~`, `key: null`.
    var isNull: Bool {
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
    func unsignedInteger() throws(RecipeError) -> UInt64 {
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

    /// The node as a non-empty string; any non-null scalar reads as its text.
    func text() throws(RecipeError) -> String {
        guard case let .scalar(scalar) = node, scalar.tagName != .null, !scalar.string.isEmpty else {
            throw mismatch(expected: "a string")
        }
        return scalar.string
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
            let element = YAMLNodeReader(node: item, source: source, keyPath: "\(keyPath)[\(index)]",
                                         reportsPositions: reportsPositions)
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
            let element = YAMLNodeReader(node: item, source: source, keyPath: "\(keyPath)[\(index)]",
                                         reportsPositions: reportsPositions)
            values.append(try element.number(range))
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
    static func describe(_ node: Node) -> String {
        switch node {
        case let .scalar(scalar): scalar.tagName == .null ? "null" : "'\(scalar.string)'"
        case .sequence: "a list"
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
