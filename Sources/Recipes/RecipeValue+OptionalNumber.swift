extension RecipeValue where Value == Double? {
    /// A finite number within `range`, or null.
    static func optionalNumber(_ range: NumberRange) -> Self {
        Self(read: { (reader: YAMLNodeReader) throws(RecipeError) in reader.isNull ? nil : try reader.number(range) },
             write: { $0.map(YAMLScalarFormat.number) ?? "null" })
    }
}
