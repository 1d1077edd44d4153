import ArgumentParser
import Foundation
import Models
import Recipes

/// The options that pick a recipe: a YAML file and `--set key=value` overrides.
struct RecipeOptions: ParsableArguments {
    @Option(name: .long, help: "Recipe file (YAML) or preset name (see `hone recipes`). Without it, the built-in defaults (the default Fashion-MNIST job).")
    var recipe: String?

    @Option(name: .customLong("set"), help: "Override a recipe key, e.g. --set schedule.epochs=20 (repeatable).")
    var overrides: [String] = []

    /// The validated recipe, or a CommandFailure whose text names the file, line and key.
    func load() throws -> Recipe {
        let file = try recipe.map(Self.resolve)
        do {
            return try RecipeLoader(knownModels: ModelRegistry.ids).load(file: file, overrides: overrides)
        } catch {
            throw CommandFailure(error.description)
        }
    }

    /// A recipe argument as a file: an existing path as it is, else a preset's name.
    static func resolve(_ argument: String) throws -> URL {
        if FileManager.default.fileExists(atPath: argument) || argument.contains("/") || argument.hasSuffix(".yaml") {
            return URL(fileURLWithPath: argument)
        }
        guard let library = PresetLibrary.locate() else {
            throw CommandFailure("--recipe \(argument): no such file, and no recipes folder to look up a preset in "
                                 + "(set HONE_RECIPES to the folder of Hone's recipes)")
        }
        guard let url = library.url(of: argument) else {
            var message = "--recipe \(argument): no such file, and no preset of that name in \(library.folder.path)"
            if let suggestion = library.suggestion(for: argument) { message += "; did you mean '\(suggestion)'?" }
            throw CommandFailure(message + " (`hone recipes` lists them)")
        }
        return url
    }
}
