import Foundation
import Recipes

extension ExperimentLoader {
    /// The experiment with its recipes resolved and loaded once per cell, each cell's overrides applied.
    ///
    /// A failing override is reported where the experiment file wrote it (its `set` entry or the
    /// cell's key), with the recipe loader's message; a broken recipe file is reported as itself.
    /// A `cell:` reference must name a cell declared before the one that uses it.
    public func plan(_ experiment: Experiment, directory: URL, source: String) throws(ExperimentError) -> ExperimentPlan {
        let recipeURL = try resolveRecipe(experiment.recipe, keyPath: "recipe",
                                          location: experiment.locations["recipe"], directory: directory, source: source)
        let loader = RecipeLoader(knownModels: knownModels)
        var recipes: [Recipe] = []
        for (index, cell) in experiment.cells.enumerated() {
            var cellURL = recipeURL
            if let reference = cell.recipe {
                let keyPath = "cells.\(cell.name).recipe"
                cellURL = try resolveRecipe(reference, keyPath: keyPath, location: experiment.locations[keyPath],
                                            directory: directory, source: source)
            }
            let recipe: Recipe
            do {
                recipe = try loader.load(file: cellURL, overrides: experiment.overrides + cell.overrides.map(\.text))
            } catch {
                throw locate(error, cell: cell, in: experiment, source: source)
            }
            try checkReferences(of: recipe, cell: cell, earlier: experiment.cells[..<index].map(\.name),
                                in: experiment, source: source)
            recipes.append(recipe)
        }
        return ExperimentPlan(experiment: experiment, recipeURL: recipeURL, cellRecipes: recipes)
    }

    /// Checks that the `cell:` references in `recipe` are well formed and name earlier cells.
    func checkReferences(of recipe: Recipe, cell: ExperimentCell, earlier: [String], in experiment: Experiment,
                         source: String) throws(ExperimentError) {
        for (key, text) in [("init.from", recipe.initialization.from),
                            ("loss.distillation_teacher", recipe.loss.distillationTeacher)] {
            let location = experiment.locations["cells.\(cell.name).\(key)"] ?? experiment.locations["cells.\(cell.name)"]
            func failure(_ message: String) -> ExperimentError {
                ExperimentError(source: source, line: location?.line, column: location?.column,
                                keyPath: "cells.\(cell.name).\(key)", message: message)
            }
            let reference: CellReference?
            do {
                reference = try CellReference.parse(text)
            } catch {
                throw failure(error.message)
            }
            guard let reference, !earlier.contains(reference.cell) else { continue }
            throw failure("'\(text ?? "")' names no earlier cell; a cell can start from a cell declared before it ("
                          + (earlier.isEmpty ? "none comes before '\(cell.name)'" : earlier.joined(separator: ", ")) + ")")
        }
    }

    /// A recipe reference: a path (with `/` or ending in `.yaml`) relative to the experiment's folder, else a preset.
    func resolveRecipe(_ reference: String, keyPath: String, location: SourceLocation?, directory: URL,
                       source: String) throws(ExperimentError) -> URL {
        func failure(_ message: String) -> ExperimentError {
            ExperimentError(source: source, line: location?.line, column: location?.column, keyPath: keyPath,
                            message: message)
        }
        if reference.contains("/") || reference.hasSuffix(".yaml") {
            let expanded = (reference as NSString).expandingTildeInPath
            let url = expanded.hasPrefix("/") ? URL(fileURLWithPath: expanded)
                : directory.appendingPathComponent(expanded).standardizedFileURL
            guard FileManager.default.fileExists(atPath: url.path) else {
                throw failure("no recipe file at \(url.path) (a path is relative to the experiment file's folder)")
            }
            return url
        }
        guard let presets else {
            throw failure("'\(reference)' is not a file, and there is no recipes folder to look up a preset in "
                          + "(set HONE_RECIPES to the folder of Hone's recipes)")
        }
        guard let url = presets.url(of: reference) else {
            var message = "no preset '\(reference)' in \(presets.folder.path)"
            if let suggestion = presets.suggestion(for: reference) { message += "; did you mean '\(suggestion)'?" }
            throw failure(message + " (`hone recipes` lists them; a recipe file's path needs a '/' or '.yaml')")
        }
        return url
    }

    /// A recipe error moved to the experiment-file entry that caused it.
    func locate(_ error: RecipeError, cell: ExperimentCell, in experiment: Experiment,
                source: String) -> ExperimentError {
        let prefix = "--set "
        guard error.source.hasPrefix(prefix) else {
            return ExperimentError(source: error.source, line: error.line, column: error.column, keyPath: error.keyPath,
                                   message: error.message + " (the recipe of experiment '\(experiment.name)')")
        }
        let override = String(error.source.dropFirst(prefix.count))
        let detail = (error.keyPath.map { "\($0): " } ?? "") + error.message
        if let index = experiment.overrides.firstIndex(of: override) {
            let location = experiment.locations["set[\(index)]"]
            return ExperimentError(source: source, line: location?.line, column: location?.column,
                                   keyPath: "set[\(index)]", message: detail)
        }
        let key = cell.overrides.first { $0.text == override }?.key
        let location = key.flatMap { experiment.locations["cells.\(cell.name).\($0)"] ?? experiment.locations["grid.\($0)"] }
            ?? experiment.locations["cells.\(cell.name)"]
        return ExperimentError(source: source, line: location?.line, column: location?.column,
                               keyPath: "cells.\(cell.name)", message: detail)
    }
}
