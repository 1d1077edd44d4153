import Foundation
import Yams

/// Loads a recipe from a YAML file and `--set key=value` overrides, validating every key against the schema.
///
/// Start from the defaults, apply the file's keys in document order, then each override
/// in command-line order; the first problem stops loading with a `RecipeError` naming the
/// source, line, column and key, and what would have been valid. Unknown keys are errors,
/// never ignored, because a misspelt switch that silently keeps its default wastes a run.
public struct RecipeLoader: Sendable {
    /// The model ids `model.name` may take; empty accepts any name.
    public let knownModels: [String]

    public init(knownModels: [String]) {
        self.knownModels = knownModels
    }

    /// The recipe in `file` (the defaults when nil) with `overrides` applied.
    public func load(file: URL?, overrides: [String]) throws(RecipeError) -> Recipe {
        guard let file else { return try parse(yaml: "", source: "defaults", overrides: overrides) }
        var recipe = try recipe(inFile: file, source: file.relativePath, chain: [])
        try apply(overrides, to: &recipe)
        return recipe
    }

    /// The recipe written in `yaml` (from `source`, used in errors) with `overrides` applied.
    ///
    /// `directory` is where an `extends:` key's file is looked up; without it `extends` is an error.
    public func parse(yaml: String, source: String, overrides: [String], directory: URL? = nil) throws(RecipeError) -> Recipe {
        var recipe = try recipe(yaml: yaml, source: source, directory: directory, chain: [])
        try apply(overrides, to: &recipe)
        return recipe
    }

    private func apply(_ overrides: [String], to recipe: inout Recipe) throws(RecipeError) {
        let schema = Recipe.schema(knownModels: knownModels)
        for override in overrides {
            try Self.apply(override: override, schema: schema, to: &recipe)
        }
    }

    /// The recipe a file describes, its `extends` chain resolved; `chain` holds the files already being read.
    func recipe(inFile file: URL, source: String, chain: [String]) throws(RecipeError) -> Recipe {
        let text: String
        do {
            text = try String(contentsOf: file, encoding: .utf8)
        } catch {
            throw RecipeError(source: source, message: "cannot read the recipe: \(error.localizedDescription)")
        }
        return try recipe(yaml: text, source: source, directory: file.deletingLastPathComponent(),
                          chain: chain + [file.standardizedFileURL.path])
    }

    /// The recipe in `yaml`: the defaults, or the recipe its `extends` key names, with its keys applied in order.
    func recipe(yaml: String, source: String, directory: URL?, chain: [String]) throws(RecipeError) -> Recipe {
        var recipe = Recipe()
        guard let root = try Self.compose(yaml, source: source, reportsPositions: true) else { return recipe }
        let reader = YAMLNodeReader(node: root, source: source, keyPath: "", reportsPositions: true)
        if case let .mapping(mapping) = root, let base = mapping[Self.extendsKey] {
            recipe = try baseRecipe(reader.child(base, key: Self.extendsKey), directory: directory, chain: chain)
        }
        try Self.readSection(reader, keys: Recipe.schema(knownModels: knownModels), into: &recipe,
                             skipping: [Self.extendsKey])
        return recipe
    }

    /// Reads a mapping node's entries into `recipe`, each by its schema key.
    static func readSection(_ reader: YAMLNodeReader, keys: [RecipeKey], into recipe: inout Recipe,
                            skipping skipped: Set<String> = []) throws(RecipeError) {
        let names = keys.map(\.name).joined(separator: ", ")
        let expected = reader.keyPath.isEmpty
            ? "a mapping of the recipe's sections (\(names))"
            : "a mapping of the keys of '\(reader.keyPath)' (\(names))"
        for entry in try reader.mappingEntries(expected: expected) where !skipped.contains(entry.key) {
            let child = reader.child(entry.value, key: entry.key)
            guard let key = keys.first(where: { $0.name == entry.key }) else {
                throw unknownKey(entry.key, in: reader, keys: keys, at: entry.keyMark)
            }
            try read(key, child, into: &recipe)
        }
    }

    /// Reads one value or section into `recipe`.
    static func read(_ key: RecipeKey, _ reader: YAMLNodeReader, into recipe: inout Recipe) throws(RecipeError) {
        switch key.content {
        case let .value(read, _): try read(&recipe, reader)
        case let .section(keys): try readSection(reader, keys: keys, into: &recipe)
        }
    }

    /// The error for a key the schema does not have, listing the valid ones and a near miss if there is one.
    static func unknownKey(_ name: String, in section: YAMLNodeReader, keys: [RecipeKey],
                           at mark: Mark?) -> RecipeError {
        let names = keys.map(\.name)
        let place = section.keyPath.isEmpty ? "at the top level" : "in '\(section.keyPath)'"
        var message = "unknown key '\(name)' \(place); valid keys: \(names.joined(separator: ", "))"
        if let suggestion = KeySuggestion.nearest(to: name, among: names) {
            message += "; did you mean '\(suggestion)'?"
        }
        return section.error(message, at: mark, keyPath: section.child(section.node, key: name).keyPath)
    }

    /// The document in `yaml`, or nil when it holds nothing but comments; YAML errors become `RecipeError`s.
    static func compose(_ yaml: String, source: String, reportsPositions: Bool) throws(RecipeError) -> Node? {
        do {
            return try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            throw YAMLSyntaxError.recipeError(error, yaml: yaml, source: source, reportsPositions: reportsPositions)
        } catch {
            throw RecipeError(source: source, message: "invalid YAML: \(error)")
        }
    }
}
