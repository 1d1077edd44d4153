import Foundation

extension RecipeLoader {
    /// The top-level key that makes a recipe start from another one: `extends: bot-4-resnet50d`.
    static let extendsKey = "extends"

    /// Reads the recipe an `extends` key names, relative to the extending file's folder.
    ///
    /// A name without a `.yaml` or `.yml` suffix gets `.yaml`, so a sequence of presets
    /// can each name the one before it. The extending file's keys then apply on top, so
    /// a preset that adds one trick says only that trick. The resolved recipe a run folder
    /// keeps has no `extends`: it holds every key.
    func baseRecipe(_ reader: YAMLNodeReader, directory: URL?, chain: [String]) throws(RecipeError) -> Recipe {
        let name = try reader.text()
        guard let directory else {
            throw reader.error("'extends' names a recipe file, but this recipe was not read from a file")
        }
        let fileName = name.hasSuffix(".yaml") || name.hasSuffix(".yml") ? name : name + ".yaml"
        let url = URL(fileURLWithPath: fileName, relativeTo: directory).standardizedFileURL
        if chain.contains(url.path) {
            let cycle = (chain + [url.path]).map { URL(fileURLWithPath: $0).lastPathComponent }
            throw reader.error("'extends' makes a cycle: \(cycle.joined(separator: " -> "))")
        }
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw reader.error("expected the name of a recipe file next to this one, found '\(name)' "
                               + "(no file \(url.path))")
        }
        return try recipe(inFile: url, source: url.relativePath, chain: chain)
    }
}
