/// The value kinds of the fine-tuning keys: a list of names and a mapping from names to numbers.
extension RecipeValue where Value == [String] {
    /// A list of non-empty strings, such as `[stem, layer1, "layer4.*.bn*"]`; null is the empty list.
    static var texts: Self {
        Self(read: { (reader: YAMLNodeReader) throws(RecipeError) in
                 if reader.isNull { return [] }
                 guard case let .sequence(sequence) = reader.node else {
                     throw reader.mismatch(expected: "a list of names, such as [stem, layer1]")
                 }
                 var values: [String] = []
                 for (index, item) in sequence.enumerated() {
                     let element = YAMLNodeReader(node: item, source: reader.source, keyPath: "\(reader.keyPath)[\(index)]",
                                                  reportsPositions: reader.reportsPositions)
                     values.append(try element.text())
                 }
                 return values
             },
             write: { "[" + $0.map(YAMLScalarFormat.string).joined(separator: ", ") + "]" })
    }
}

extension RecipeValue where Value == [Recipe.Optimizer.LearningRateMultiplier] {
    /// A mapping from part names or globs to multipliers within `range`, in document order; null is empty.
    static func multipliers(_ range: NumberRange) -> Self {
        Self(read: { (reader: YAMLNodeReader) throws(RecipeError) in
                 let expected = "a mapping from part names or globs to multipliers, such as {stem: 0.1, layer1: 0.5}"
                 var values: [Recipe.Optimizer.LearningRateMultiplier] = []
                 for entry in try reader.mappingEntries(expected: expected) {
                     let value = reader.child(entry.value, key: entry.key)
                     guard !entry.key.isEmpty else { throw value.error("expected a part name or glob as the key") }
                     values.append(.init(part: entry.key, multiplier: try value.number(range)))
                 }
                 return values
             },
             write: { entries in
                 "{" + entries.map { "\(YAMLScalarFormat.string($0.part)): \(YAMLScalarFormat.number($0.multiplier))" }
                     .joined(separator: ", ") + "}"
             })
    }
}
