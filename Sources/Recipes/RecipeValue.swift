/// How one kind of recipe value is read from YAML and written back: bounded integers, ranged numbers, choices, lists.
///
/// Each value kind pairs a reader with the writer that produces text the reader accepts
/// again, which is what makes `resolvedYAML()` round-trip. The kinds are few and the
/// schema names them per key, so a key's type and its valid range are stated once.
struct RecipeValue<Value> {
    let read: (YAMLNodeReader) throws(RecipeError) -> Value
    let write: (Value) -> String
}

extension RecipeValue where Value == Int {
    /// An integer of at least `minimum`.
    static func integer(atLeast minimum: Int) -> Self {
        Self(read: { (reader: YAMLNodeReader) throws(RecipeError) in try reader.integer(atLeast: minimum) },
             write: { String($0) })
    }
}

extension RecipeValue where Value == UInt64 {
    /// Any unsigned 64-bit integer.
    static var unsignedInteger: Self {
        Self(read: { (reader: YAMLNodeReader) throws(RecipeError) in try reader.unsignedInteger() },
             write: { String($0) })
    }
}

extension RecipeValue where Value == Double {
    /// A finite number within `range`.
    static func number(_ range: NumberRange) -> Self {
        Self(read: { (reader: YAMLNodeReader) throws(RecipeError) in try reader.number(range) },
             write: YAMLScalarFormat.number)
    }
}

extension RecipeValue where Value == Double? {
    /// A finite number within `range`, or null.
    static func optionalNumber(_ range: NumberRange) -> Self {
        Self(read: { (reader: YAMLNodeReader) throws(RecipeError) in
                 if reader.isNull { return nil }
                 guard let value = try? reader.number(range) else {
                     throw reader.mismatch(expected: "\(range.description), or null")
                 }
                 return value
             },
             write: { $0.map(YAMLScalarFormat.number) ?? "null" })
    }
}

extension RecipeValue where Value == Bool {
    /// `true` or `false`.
    static var boolean: Self {
        Self(read: { (reader: YAMLNodeReader) throws(RecipeError) in try reader.boolean() },
             write: { $0 ? "true" : "false" })
    }
}

extension RecipeValue where Value == String {
    /// Any non-empty string.
    static var text: Self {
        Self(read: { (reader: YAMLNodeReader) throws(RecipeError) in try reader.text() },
             write: YAMLScalarFormat.string)
    }

    /// One of `choices`, or any non-empty string when `choices` is empty.
    static func text(among choices: [String]) -> Self {
        if choices.isEmpty { return text }
        return Self(read: { (reader: YAMLNodeReader) throws(RecipeError) in try reader.choice(among: choices) },
                    write: YAMLScalarFormat.string)
    }
}

extension RecipeValue where Value: RawRepresentable & CaseIterable, Value.RawValue == String {
    /// A case of the enum, by its raw value.
    static var choice: Self {
        Self(read: { (reader: YAMLNodeReader) throws(RecipeError) in try reader.choice(Value.self) },
             write: { $0.rawValue })
    }
}

extension RecipeValue {
    /// A case of `Choice` by its raw value, or null.
    static func optionalChoice<Choice>(_ type: Choice.Type) -> Self
    where Value == Choice?, Choice: RawRepresentable & CaseIterable, Choice.RawValue == String {
        Self(read: { (reader: YAMLNodeReader) throws(RecipeError) in try reader.optionalChoice(Choice.self) },
             write: { $0?.rawValue ?? "null" })
    }
}

extension RecipeValue where Value == [Int] {
    /// A strictly increasing list of integers, each at least `minimum`.
    static func increasingIntegers(atLeast minimum: Int) -> Self {
        Self(read: { (reader: YAMLNodeReader) throws(RecipeError) in try reader.increasingIntegers(atLeast: minimum) },
             write: { "[" + $0.map(String.init).joined(separator: ", ") + "]" })
    }
}

extension RecipeValue where Value == [Double] {
    /// A list of numbers within `range` whose length is one of `counts` (0 allows an empty list).
    static func numbers(_ range: NumberRange, counts: [Int]) -> Self {
        Self(read: { (reader: YAMLNodeReader) throws(RecipeError) in try reader.numbers(range, counts: counts) },
             write: { "[" + $0.map(YAMLScalarFormat.number).joined(separator: ", ") + "]" })
    }
}

extension RecipeValue where Value == ClosedRange<Double> {
    /// A `[low, high]` pair within `range`.
    static func numberRange(_ range: NumberRange) -> Self {
        Self(read: { (reader: YAMLNodeReader) throws(RecipeError) in try reader.numberRange(range) },
             write: { "[\(YAMLScalarFormat.number($0.lowerBound)), \(YAMLScalarFormat.number($0.upperBound))]" })
    }
}

extension RecipeValue where Value == String? {
    /// A non-empty string, or null.
    static var optionalText: Self {
        Self(read: { (reader: YAMLNodeReader) throws(RecipeError) in reader.isNull ? nil : try reader.text() },
             write: { $0.map(YAMLScalarFormat.string) ?? "null" })
    }
}
