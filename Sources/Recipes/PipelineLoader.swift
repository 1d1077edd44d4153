import Foundation
import Yams

/// Reads a pipeline file into stages with complete, validated recipes.
///
/// The file is a mapping with `stages:` (a list) and optionally `set:` (overrides every
/// stage gets before its own). A stage is a mapping:
///
/// ```yaml
/// - name: finetune-32          # unique; letters, digits, '.', '_' and '-'
///   recipe: flyegle-baseline-cifar10   # a file relative to the pipeline file (.yaml optional), else a preset
///   init: stage:train-32:best  # stage:<name>[:best|:last] (default best), a weights path, or absent
///   lr_scale: 0.1              # multiplies optimizer.lr after the overrides; default 1
///   set:                       # recipe keys, dotted, as `hone train --set` takes them
///     schedule.warmup_epochs: 0
///     freeze.parts: [stem, layer1]
/// ```
///
/// `init: stage:<name>` must name an earlier stage; it becomes the recipe's `init.from`
/// (that stage's run folder under the output folder) and `init.checkpoint`. A weights
/// path is relative to the pipeline file. Every error names the pipeline file, the line
/// and the key (`stages[2].set.schedule.epochs`), as recipe errors do.
public struct PipelineLoader: Sendable {
    /// The model ids `model.name` may take; empty accepts any name.
    public let knownModels: [String]
    /// Where a stage's `recipe` is looked up when it is not a file next to the pipeline.
    public let presets: PresetLibrary?

    public init(knownModels: [String], presets: PresetLibrary?) {
        self.knownModels = knownModels
        self.presets = presets
    }

    /// The pipeline in `file`, its stages' run folders under `output`.
    public func load(file: URL, output: URL) throws(RecipeError) -> Pipeline {
        let source = file.relativePath
        let text: String
        do {
            text = try String(contentsOf: file, encoding: .utf8)
        } catch {
            throw RecipeError(source: source, message: "cannot read the pipeline: \(error.localizedDescription)")
        }
        let root = try RecipeLoader.compose(text, source: source, reportsPositions: true)
            ?? Node("null", Tag(.null))
        let document = YAMLNodeReader(node: root, source: source, keyPath: "", reportsPositions: true)
        let output = output.standardizedFileURL
        var common: [(text: String, reader: YAMLNodeReader)] = []
        var stageNodes: [Node]?
        for entry in try document.mappingEntries(expected: "a mapping with 'stages' (a list) and optionally 'set'") {
            let child = document.child(entry.value, key: entry.key)
            switch entry.key {
            case "stages":
                guard case let .sequence(sequence) = entry.value, !sequence.isEmpty else {
                    throw child.mismatch(expected: "a non-empty list of stages")
                }
                stageNodes = Array(sequence)
            case "set":
                common = try Self.overrideEntries(child)
            default:
                throw document.error("unknown key '\(entry.key)' at the top level; valid keys: stages, set",
                                     at: entry.keyMark, keyPath: child.keyPath)
            }
        }
        guard let stageNodes else {
            throw document.error("expected a 'stages' list of the pipeline's stages")
        }
        var stages: [Pipeline.Stage] = []
        for (index, node) in stageNodes.enumerated() {
            let reader = YAMLNodeReader(node: node, source: source, keyPath: "stages[\(index)]", reportsPositions: true)
            stages.append(try stage(reader, common: common, earlier: stages, directory: file.deletingLastPathComponent(),
                                    output: output))
        }
        return Pipeline(stages: stages, output: output)
    }

    /// One stage: its recipe loaded, the pipeline's and its own overrides applied, `init` and `lr_scale` resolved.
    private func stage(_ reader: YAMLNodeReader, common: [(text: String, reader: YAMLNodeReader)],
                       earlier: [Pipeline.Stage], directory: URL,
                       output: URL) throws(RecipeError) -> Pipeline.Stage {
        var name: String?
        var recipeReader: YAMLNodeReader?
        var initReader: YAMLNodeReader?
        var learningRateScale = 1.0
        var overrides: [(text: String, reader: YAMLNodeReader)] = []
        let keys = ["name", "recipe", "init", "lr_scale", "set"]
        for entry in try reader.mappingEntries(expected: "a mapping of the stage's keys (\(keys.joined(separator: ", ")))") {
            let child = reader.child(entry.value, key: entry.key)
            switch entry.key {
            case "name": name = try Self.stageName(child)
            case "recipe": recipeReader = child
            case "init": initReader = child
            case "lr_scale": learningRateScale = try child.number(.positive)
            case "set": overrides = try Self.overrideEntries(child)
            default:
                var message = "unknown key '\(entry.key)' in a stage; valid keys: \(keys.joined(separator: ", "))"
                if let suggestion = KeySuggestion.nearest(to: entry.key, among: keys) {
                    message += "; did you mean '\(suggestion)'?"
                }
                throw reader.error(message, at: entry.keyMark, keyPath: child.keyPath)
            }
        }
        guard let name else { throw reader.error("expected a 'name' for the stage") }
        if earlier.contains(where: { $0.name == name }) {
            throw reader.error("a stage called '\(name)' comes earlier; expected a unique name", keyPath: "\(reader.keyPath).name")
        }
        guard let recipeReader else { throw reader.error("expected a 'recipe' (a preset's name or a recipe file)") }
        let loader = RecipeLoader(knownModels: knownModels)
        let recipeURL = try recipeFile(recipeReader, directory: directory)
        var recipe = try loader.recipe(inFile: recipeURL, source: recipeURL.relativePath, chain: [])
        let schema = Recipe.schema(knownModels: knownModels)
        for (text, valueReader) in common + overrides {
            do {
                try RecipeLoader.apply(override: text, schema: schema, to: &recipe)
            } catch {
                throw valueReader.error(error.message, keyPath: valueReader.keyPath)
            }
        }
        recipe.optimizer.learningRate *= learningRateScale
        var startsFrom: String?
        if let initReader, !initReader.isNull {
            let text = try initReader.text()
            if text.hasPrefix("stage:") {
                let parts = text.dropFirst("stage:".count).split(separator: ":", omittingEmptySubsequences: false)
                let target = String(parts[0])
                guard earlier.contains(where: { $0.name == target }) else {
                    let names = earlier.map(\.name).joined(separator: ", ")
                    throw initReader.error("'\(text)' names no earlier stage; expected stage:<name>[:best|:last] with "
                                           + (names.isEmpty ? "a stage before this one" : "one of \(names)"))
                }
                guard parts.count <= 2,
                      let checkpoint = parts.count == 2 ? Recipe.Initialization.Checkpoint(rawValue: String(parts[1]))
                                                        : .best else {
                    throw initReader.error("'\(text)': expected stage:<name>, stage:<name>:best or stage:<name>:last")
                }
                recipe.initialization.from = output.appendingPathComponent(target).path
                recipe.initialization.checkpoint = checkpoint
                startsFrom = target
            } else {
                recipe.initialization.from = URL(fileURLWithPath: (text as NSString).expandingTildeInPath,
                                                 relativeTo: directory).standardizedFileURL.path
            }
        }
        return Pipeline.Stage(name: name, recipe: recipe, startsFrom: startsFrom)
    }

    /// A stage name that can be a folder name.
    private static func stageName(_ reader: YAMLNodeReader) throws(RecipeError) -> String {
        let name = try reader.text()
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "._-"))
        guard name.unicodeScalars.allSatisfy(allowed.contains), !name.hasPrefix(".") else {
            throw reader.error("'\(name)' cannot name a folder; expected letters, digits, '.', '_' and '-'")
        }
        return name
    }

    /// A stage's recipe file: a path relative to the pipeline file, else a preset's file.
    private func recipeFile(_ reader: YAMLNodeReader, directory: URL) throws(RecipeError) -> URL {
        let name = try reader.text()
        let local = URL(fileURLWithPath: (name as NSString).expandingTildeInPath, relativeTo: directory).standardizedFileURL
        if FileManager.default.fileExists(atPath: local.path) { return local }
        let named = local.appendingPathExtension("yaml")
        if !name.hasSuffix(".yaml"), FileManager.default.fileExists(atPath: named.path) { return named }
        if !name.contains("/"), !name.hasSuffix(".yaml"), let url = presets?.url(of: name) { return url }
        var message = "expected a preset's name or a recipe file relative to the pipeline, found '\(name)' "
            + "(no file \(local.path)" + (presets.map { ", no preset in \($0.folder.path)" } ?? ", no presets folder") + ")"
        if let suggestion = presets?.suggestion(for: name) { message += "; did you mean '\(suggestion)'?" }
        throw reader.error(message)
    }

    /// A `set:` mapping as `key=value` override texts, each with the reader of its value for errors.
    private static func overrideEntries(_ reader: YAMLNodeReader)
        throws(RecipeError) -> [(text: String, reader: YAMLNodeReader)] {
        let expected = "a mapping of dotted recipe keys to values, such as {schedule.epochs: 40}"
        var result: [(text: String, reader: YAMLNodeReader)] = []
        for entry in try reader.mappingEntries(expected: expected) {
            let value: String
            do {
                value = try Yams.serialize(node: entry.value).trimmingCharacters(in: .whitespacesAndNewlines)
            } catch {
                throw reader.child(entry.value, key: entry.key).error("cannot read the value: \(error)")
            }
            result.append(("\(entry.key)=\(value)", reader.child(entry.value, key: entry.key)))
        }
        return result
    }
}
