import Foundation
@testable import Recipes

/// The loader the tests use: a small stand-in for the model registry's ids.
let loader = RecipeLoader(knownModels: ["resnet18", "resnet34", "resnet50", "resnet50d"])

/// The recipe in `yaml`, loaded as if from `recipes/test.yaml`.
func parse(_ yaml: String, overrides: [String] = []) throws(RecipeError) -> Recipe {
    try loader.parse(yaml: yaml, source: "recipes/test.yaml", overrides: overrides)
}

/// The error loading `yaml` throws, or nil if it loads.
func parseError(_ yaml: String, overrides: [String] = []) -> RecipeError? {
    do {
        _ = try parse(yaml, overrides: overrides)
        return nil
    } catch {
        return error
    }
}

/// The repository's root, found from this file's path.
let repositoryRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
