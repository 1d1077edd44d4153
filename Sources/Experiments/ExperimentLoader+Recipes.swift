import Foundation
import Recipes

extension ExperimentLoader {
    /// The experiment with its recipe resolved and loaded once per cell, each cell's overrides applied.
    ///
    /// A failing override is reported where the experiment file wrote it (its `set` entry or the
    /// cell's key), with the recipe loader's message; a broken recipe file is reported as itself.
    public func plan(_ experiment: Experiment, directory: URL, source: String) throws(ExperimentError) -> ExperimentPlan {
        let recipeURL = try resolveRecipe(experiment, directory: directory, source: source)
        let loader = RecipeLoader(knownModels: knownModels)
        var recipes: [Recipe] = []
        for cell in experiment.cells {
            do {
                recipes.append(try loader.load(file: recipeURL, overrides: experiment.overrides + cell.overrides.map(\.text)))
            } catch {
                throw locate(error, cell: cell, in: experiment, source: source)
            }
        }
        return ExperimentPlan(experiment: experiment, recipeURL: recipeURL, cellRecipes: recipes)
    }

    /// The recipe file: a path (with `/` or ending in `.yaml`) relative to the experiment's folder, else a preset.
    func resolveRecipe(_ experiment: Experiment, directory: URL, source: String) throws(ExperimentError) -> URL {
        let reference = experiment.recipe
        let location = experiment.locations["recipe"]
        func failure(_ message: String) -> ExperimentError {
            ExperimentError(source: source, line: location?.line, column: location?.column, keyPath: "recipe",
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
