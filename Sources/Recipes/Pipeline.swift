import Foundation

/// Several training runs in order, each a recipe that may start from an earlier one's checkpoint: one experiment, one file.
///
/// A pipeline file (`pipelines/*.yaml`, read by `PipelineLoader`) lists stages; each stage
/// names a recipe (a preset or a file), overrides some of its keys and says what it starts
/// from. The resolution report's low-to-high-resolution fine-tuning is three stages: train
/// at 224, continue at 448 from the first stage's weights, fine-tune at 448 with lr x0.1,
/// no warm-up and the stem and layer1 frozen. Each stage runs into `<output>/<name>/`, an
/// ordinary run folder, so a stage is resumed, evaluated and compared like any run.
public struct Pipeline: Sendable, Equatable {
    /// One training run of the pipeline.
    public struct Stage: Sendable, Equatable {
        /// The stage's name, unique in the pipeline: its folder's name and what `stage:<name>` refers to.
        public var name: String
        /// The stage's complete recipe, overrides applied and `init` pointing at the earlier stage's folder.
        public var recipe: Recipe
        /// The earlier stage this one starts from, if any.
        public var startsFrom: String?

        public init(name: String, recipe: Recipe, startsFrom: String? = nil) {
            self.name = name
            self.recipe = recipe
            self.startsFrom = startsFrom
        }
    }

    /// The stages, in the order they run.
    public var stages: [Stage]
    /// The folder that holds one run folder per stage.
    public var output: URL

    public init(stages: [Stage], output: URL) {
        self.stages = stages
        self.output = output
    }

    /// The run folder of the stage called `name`.
    public func folder(of name: String) -> URL {
        output.appendingPathComponent(name)
    }
}
