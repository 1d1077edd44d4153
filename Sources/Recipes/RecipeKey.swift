/// One key of the recipe schema: a value with its reader and writer, or a section holding further keys.
///
/// The schema (`Recipe.schema(knownModels:)`) is a tree of these. One tree drives reading
/// a file, applying `--set` overrides, listing valid keys in errors and writing the
/// resolved YAML, so the four can never disagree about what a key is called or where it sits.
struct RecipeKey {
    /// What a key holds.
    enum Content {
        /// A value: how to read it into a recipe, and how to write it from one.
        case value(read: (inout Recipe, YAMLNodeReader) throws(RecipeError) -> Void, write: (Recipe) -> String)
        /// A mapping of further keys.
        case section([RecipeKey])
    }

    /// The key as written in YAML, in snake case.
    let name: String
    let content: Content

    /// A value key stored at `path`, of the given kind.
    static func value<Value>(_ name: String, _ path: WritableKeyPath<Recipe, Value>,
                             _ kind: RecipeValue<Value>) -> RecipeKey {
        RecipeKey(name: name, content: .value(
            read: { (recipe: inout Recipe, reader: YAMLNodeReader) throws(RecipeError) in
                recipe[keyPath: path] = try kind.read(reader)
            },
            write: { kind.write($0[keyPath: path]) }))
    }

    /// A section of further keys.
    static func section(_ name: String, _ keys: [RecipeKey]) -> RecipeKey {
        RecipeKey(name: name, content: .section(keys))
    }
}
