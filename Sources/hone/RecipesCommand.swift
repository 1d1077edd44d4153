import ArgumentParser
import Foundation
import Models
import Recipes

/// `hone recipes`: the shipped presets with their model, data, length and source; `hone recipes NAME` prints one resolved.
struct RecipesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recipes",
        abstract: "List the preset recipes (run one with `hone train --recipe NAME`), or print one with every key resolved."
    )

    @Argument(help: "A preset to print with every key resolved (its `extends` chain applied).") var name: String?

    func run() throws {
        guard let library = PresetLibrary.locate() else {
            throw CommandFailure("no recipes folder found beside the hone executable or in the current folder; "
                                 + "set HONE_RECIPES to the folder of Hone's recipes")
        }
        let loader = RecipeLoader(knownModels: ModelRegistry.ids)
        if let name {
            let url = try RecipeOptions.resolve(name)
            do {
                print(try loader.load(file: url, overrides: []).resolvedYAML(), terminator: "")
            } catch {
                throw CommandFailure(error.description)
            }
            return
        }
        let header = ["preset", "model", "data", "epochs", "batch", "optimizer", "what it is"]
        var rows: [[String]] = []
        for preset in library.names {
            guard let url = library.url(of: preset) else { continue }
            do {
                let recipe = try loader.load(file: url, overrides: [])
                rows.append([preset, recipe.model.name, recipe.data.dataset.rawValue, String(recipe.schedule.epochs),
                             String(recipe.data.batchSize), recipe.optimizer.name.rawValue, library.summary(of: preset)])
            } catch {
                rows.append([preset, "-", "-", "-", "-", "-", "invalid: \(error.description)"])
            }
        }
        print("presets in \(library.folder.path):")
        print(ModelsCommand.table(header: header, rows: rows, rightAligned: [3, 4]))
    }
}
