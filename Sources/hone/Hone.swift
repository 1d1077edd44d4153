import ArgumentParser

/// The `hone` command-line tool: the composition root that picks the backend and runs commands.
@main
struct Hone: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hone",
        abstract: "Train and evaluate ResNet-family image classifiers on oneDNN.",
        subcommands: [TrainCommand.self, EvalCommand.self, CheckCommand.self, RecipesCommand.self, ExperimentCommand.self,
                      PipelineCommand.self, ModelsCommand.self, ScheduleCommand.self, BenchCommand.self, ScanCommand.self,
                      DistributedCommand.self]
    )
}
