import ArgumentParser
import Foundation
import Models
import Recipes

/// The options that pick a recipe: a YAML file and `--set key=value` overrides.
struct RecipeOptions: ParsableArguments {
    @Option(name: .long, help: "Recipe file (YAML). Without it, the built-in defaults (the default Fashion-MNIST job).")
    var recipe: String?

    @Option(name: .customLong("set"), help: "Override a recipe key, e.g. --set schedule.epochs=20 (repeatable).")
    var overrides: [String] = []

    /// The validated recipe, or a CommandFailure whose text names the file, line and key.
    func load() throws -> Recipe {
        do {
            return try RecipeLoader(knownModels: ModelRegistry.ids)
                .load(file: recipe.map { URL(fileURLWithPath: $0) }, overrides: overrides)
        } catch {
            throw CommandFailure(error.description)
        }
    }
}
