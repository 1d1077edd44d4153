import Foundation
import Recipes
import Yams

/// Reads an experiment file and checks every cell's recipe against the schema before anything runs.
///
/// The file is a mapping of `name`, `recipe`, `set`, `seeds`, `baseline` and exactly one
/// of `cells` or `grid`; any other key is an error listing these. A cell may name its own
/// `recipe`, and may start from an earlier cell's run (`init.from: cell:<name>`), which
/// must come before it. Loading resolves the
/// recipe (a preset name, or a path relative to the experiment file) and loads it once
/// per cell with that cell's overrides, so a misspelt key in the last cell fails at once,
/// naming the cell and the key, rather than after hours of the first cells' training.
public struct ExperimentLoader: Sendable {
    /// The keys an experiment file may have.
    public static let keys = ["name", "recipe", "set", "seeds", "baseline", "cells", "grid"]

    /// The model ids `model.name` may take; empty accepts any name.
    public let knownModels: [String]
    /// Where preset names are looked up; nil when no recipes folder is at hand.
    public let presets: PresetLibrary?

    public init(knownModels: [String], presets: PresetLibrary?) {
        self.knownModels = knownModels
        self.presets = presets
    }

    /// The experiment in `file`, each cell's recipe loaded and validated.
    public func load(file: URL) throws(ExperimentError) -> ExperimentPlan {
        let source = file.relativePath
        let text: String
        do {
            text = try String(contentsOf: file, encoding: .utf8)
        } catch {
            throw ExperimentError(source: source, message: "cannot read the experiment: \(error.localizedDescription)")
        }
        let experiment = try parse(yaml: text, source: source)
        return try plan(experiment, directory: file.deletingLastPathComponent(), source: source)
    }

    /// The experiment written in `yaml` (from `source`, used in errors), its recipe not yet loaded.
    public func parse(yaml: String, source: String) throws(ExperimentError) -> Experiment {
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            throw Self.syntaxError(error, source: source)
        } catch {
            throw ExperimentError(source: source, message: "invalid YAML: \(error)")
        }
        guard let root else {
            throw ExperimentError(source: source, message: "the file is empty; expected the keys \(Self.keys.joined(separator: ", "))")
        }
        let document = YAMLNodeReader(node: root, source: source, keyPath: "", reportsPositions: true)
        var found: [String: YAMLNodeReader] = [:]
        for entry in try document.entries(expected: "a mapping of \(Self.keys.joined(separator: ", "))") {
            guard Self.keys.contains(entry.key) else {
                throw document.error("unknown key '\(entry.key)' at the top level; valid keys: "
                                     + Self.keys.joined(separator: ", "), at: entry.keyMark)
            }
            found[entry.key] = entry.reader
        }
        func required(_ key: String, _ example: String) throws(ExperimentError) -> YAMLNodeReader {
            guard let reader = found[key] else {
                throw document.error("missing key '\(key)'; expected \(example)")
            }
            return reader
        }
        let name = try Self.folderName(required("name", "the experiment's name, such as tricks-cifar10"))
        let recipe = try required("recipe", "a preset name or a recipe file relative to this file").text()
        var locations: [String: SourceLocation] = [:]
        locations["recipe"] = found["recipe"]?.location
        var overrides: [String] = []
        if let set = found["set"], !set.isNull {
            for element in try set.elements(expected: "a list of key=value overrides, such as [schedule.epochs=8]") {
                let override = try element.text(expected: "a key=value override, such as schedule.epochs=8")
                guard override.contains("=") else {
                    throw element.mismatch(expected: "a key=value override, such as schedule.epochs=8")
                }
                locations[element.keyPath] = element.location
                overrides.append(override)
            }
        }
        let seeds = try Self.seeds(required("seeds", "a list of seeds, such as [0, 1, 2]"))
        let cells: [ExperimentCell]
        switch (found["cells"], found["grid"]) {
        case let (cellsReader?, nil):
            cells = try Self.cells(cellsReader, locations: &locations)
        case let (nil, gridReader?):
            cells = try Self.gridCells(gridReader, locations: &locations)
        case (.some, .some):
            throw found["grid"]!.error("an experiment has either 'cells' or 'grid', not both")
        case (nil, nil):
            throw document.error("missing key 'cells' or 'grid'; expected named cells of overrides, "
                                 + "or a grid of recipe keys to lists of values")
        }
        var baseline = cells[0].name
        if let reader = found["baseline"] {
            baseline = try reader.text(expected: "the name of a cell")
            guard cells.contains(where: { $0.name == baseline }) else {
                throw reader.error("'\(baseline)' is not a cell; expected one of "
                                   + cells.map(\.name).joined(separator: ", "))
            }
        }
        var experiment = Experiment(name: name, recipe: recipe, overrides: overrides, seeds: seeds, baseline: baseline,
                                    cells: cells)
        experiment.locations = locations
        return experiment
    }

    /// A name that can be a folder: not empty, no `/`, not starting with `.`.
    static func folderName(_ reader: YAMLNodeReader) throws(ExperimentError) -> String {
        let name = try reader.text(expected: "a name")
        if let problem = folderNameProblem(name) { throw reader.error(problem) }
        return name
    }

    /// Why `name` cannot name a folder, or nil when it can.
    static func folderNameProblem(_ name: String) -> String? {
        guard name.contains("/") || name.hasPrefix(".") || name.contains(where: \.isNewline) else { return nil }
        return "'\(name)' cannot be a folder name; expected a name without '/' that does not start with '.'"
    }

    static func seeds(_ reader: YAMLNodeReader) throws(ExperimentError) -> [UInt64] {
        var seeds: [UInt64] = []
        for element in try reader.elements(expected: "a non-empty list of seeds, such as [0, 1, 2]") {
            let seed = try element.unsignedInteger()
            guard !seeds.contains(seed) else { throw element.error("seed \(seed) is listed twice") }
            seeds.append(seed)
        }
        return seeds
    }

    /// The cells of a `cells:` mapping: each a name and a mapping of recipe keys to values (or null for none).
    static func cells(_ reader: YAMLNodeReader,
                      locations: inout [String: SourceLocation]) throws(ExperimentError) -> [ExperimentCell] {
        let entries = try reader.entries(expected: "a mapping of cell names to overrides, such as {baseline: {}}")
        guard !entries.isEmpty else {
            throw reader.mismatch(expected: "at least one cell, such as {baseline: {}}")
        }
        var cells: [ExperimentCell] = []
        for entry in entries {
            let name = entry.key
            if let problem = folderNameProblem(name) { throw entry.reader.error(problem, at: entry.keyMark) }
            var overrides: [ExperimentCell.Override] = []
            var recipe: String?
            let expected = "a mapping of recipe keys to values, such as {loss.label_smoothing: 0.1}, or {} for none"
            for override in try entry.reader.entries(expected: expected) {
                guard override.key != "seed" else {
                    throw override.reader.error("a cell cannot set 'seed'; the runs' seeds come from 'seeds'",
                                                at: override.keyMark)
                }
                locations[override.reader.keyPath] = override.keyMark.map { SourceLocation(line: $0.line, column: $0.column) }
                if override.key == "recipe" {
                    recipe = try override.reader.text(expected: "a preset name or a recipe file relative to this file")
                } else {
                    overrides.append(.init(key: override.key, value: try override.reader.flowText()))
                }
            }
            locations[entry.reader.keyPath] = entry.keyMark.map { SourceLocation(line: $0.line, column: $0.column) }
            cells.append(ExperimentCell(name: name, recipe: recipe, overrides: overrides))
        }
        return cells
    }

    /// Turns a Yams parse error into an `ExperimentError` at Yams' line and column.
    static func syntaxError(_ error: YamlError, source: String) -> ExperimentError {
        switch error {
        case let .scanner(_, problem, mark, _), let .parser(_, problem, mark, _), let .composer(_, problem, mark, _):
            return ExperimentError(source: source, line: mark.line, column: mark.column, message: "invalid YAML: \(problem)")
        case let .duplicatedKeysInMapping(duplicates, context):
            return ExperimentError(source: source, line: context.mark.line, column: context.mark.column,
                                   message: "duplicate key '\(duplicates.first ?? "?")'")
        default:
            return ExperimentError(source: source, message: "invalid YAML: \(error)")
        }
    }
}
