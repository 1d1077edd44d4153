import ArgumentParser
import Experiments
import Foundation
import Models
import Recipes

/// `hone experiment`: runs an experiment file's cells × seeds and reports them as a table with plots.
struct ExperimentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "experiment",
        abstract: "Run an experiment file (cells × seeds of one recipe) and report it as a Markdown table with plots.",
        discussion: "An experiment file names a recipe (a preset or a path relative to the file), overrides for every "
            + "cell (set), seeds, a baseline cell, and either named cells of overrides or a grid of values. "
            + "See experiments/ for examples.",
        subcommands: [ExperimentRunCommand.self, ExperimentReportCommand.self]
    )

    /// The experiment in `file` with every cell's recipe validated, or a CommandFailure naming the file, line and key.
    static func loadPlan(_ file: String) throws -> ExperimentPlan {
        let loader = ExperimentLoader(knownModels: ModelRegistry.ids, presets: PresetLibrary.locate())
        do {
            return try loader.load(file: URL(fileURLWithPath: file))
        } catch {
            throw CommandFailure(error.description)
        }
    }

    /// `--output`, or the experiment's default folder.
    static func outputFolder(_ output: String?, plan: ExperimentPlan) -> URL {
        output.map { URL(fileURLWithPath: $0) } ?? plan.defaultOutput
    }
}
