import ArgumentParser
import Foundation
import Optimizers
import Plotting
import Recipes
import Training

/// `hone schedule RECIPE`: previews a recipe's learning-rate curve per step, in the terminal and as SVG.
struct ScheduleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schedule",
        abstract: "Preview the learning rate of every step of a recipe (terminal plot and an SVG file)."
    )

    @Argument(help: "Recipe file (YAML).") var recipeFile: String
    @Option(name: .customLong("set"), help: "Override a recipe key (repeatable).") var overrides: [String] = []
    @Option(help: "Training images per epoch (default: the recipe's data set).") var trainingImages: Int?
    @Option(help: "Where to write the SVG (default: <recipe name>-schedule.svg).") var svg: String?

    func run() throws {
        let recipe = try RecipeOptions(recipe: recipeFile, overrides: overrides).load()
        let images = try trainingImages ?? trainingImageCount(of: recipe)
        let stepsPerEpoch = images / recipe.data.batchSize
        let schedule = Trainer.schedule(recipe: recipe, stepsPerEpoch: stepsPerEpoch)
        let totalSteps = recipe.schedule.epochs * stepsPerEpoch
        let stride = max(totalSteps / 2000, 1)
        let points = schedule.curve(every: stride).map { (Double($0.step), $0.learningRate) }
        print(TerminalPlot.render(series: points, width: 72, height: 16,
                                  title: "learning rate per step (\(totalSteps) steps, \(stepsPerEpoch) per epoch)"))
        let plot = LinePlot(title: "Learning rate: \(URL(fileURLWithPath: recipeFile).lastPathComponent)",
                            xLabel: "step", yLabel: "learning rate",
                            series: [LinePlot.Series(name: "lr", points: points)])
        let destination = svg ?? URL(fileURLWithPath: recipeFile).deletingPathExtension().lastPathComponent
            + "-schedule.svg"
        try Data(plot.svg().utf8).write(to: URL(fileURLWithPath: destination), options: .atomic)
        print("wrote \(destination)")
    }
}
