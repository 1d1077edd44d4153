import ArgumentParser
import CPUBackend
import Foundation
import Models
import Recipes
import TensorCore
import Training

/// `hone pipeline`: multi-stage experiments (train, continue at another resolution, fine-tune) from one file.
struct PipelineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pipeline",
        abstract: "Run a pipeline file's stages in order, each a recipe that may start from an earlier stage.",
        subcommands: [Run.self, Show.self]
    )

    /// `hone pipeline run FILE`: trains every stage that is not finished, resuming an interrupted one.
    struct Run: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Train the stages into <output>/<stage>/; finished stages are skipped, an interrupted one resumed.",
            discussion: "SIGINT or SIGTERM saves the running stage's checkpoint and stops; running the same command "
                + "again continues where it stopped."
        )

        @Argument(help: "A pipeline file (YAML), such as pipelines/resolution-finetune-cifar10.yaml.") var file: String
        @Option(help: "Folder for the stages' run folders (default: runs/<pipeline file name>).") var output: String?
        @Option(help: "Threads for the CPU kernels (overrides each stage's run.threads; 0 = all cores).") var threads: Int?

        func run() throws {
            let pipeline = try PipelineCommand.load(file: file, output: output)
            print("hone pipeline: \(pipeline.stages.count) stages into \(pipeline.output.path)")
            let outcomes: [PipelineRun.StageOutcome]
            do {
                outcomes = try PipelineRun(pipeline: pipeline).run(
                    stopRequest: StopRequest(listensToSignals: true), display: ProgressDisplay()
                ) { stage in
                    let count = threads ?? stage.recipe.run.threads
                    Compute.use(CPUBackend(threads: count > 0 ? count : nil,
                                           convolutionAlgorithm: ConvolutionAlgorithm(stage.recipe.run.convolutionAlgorithm)))
                }
            } catch {
                throw CommandFailure("\(error)")
            }
            for outcome in outcomes {
                guard let result = outcome.result else { continue }
                let top1 = result.finalEMAEvaluation?.top1 ?? result.finalEvaluation?.top1
                print("\(outcome.name): " + (result.stoppedEarly ? "stopped at step \(result.steps)"
                    : String(format: "top-1 %.2f%%, best %.2f%%", top1 ?? 0, result.bestTop1 ?? 0)))
            }
        }
    }

    /// `hone pipeline show FILE`: the stages, what each starts from, and where each stands.
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the stages with what each starts from and changes, and whether it is done."
        )

        @Argument(help: "A pipeline file (YAML).") var file: String
        @Option(help: "Folder for the stages' run folders (default: runs/<pipeline file name>).") var output: String?

        func run() throws {
            try CommandFailure.requireSingleProcess("hone pipeline run")
            let pipeline = try PipelineCommand.load(file: file, output: output)
            let run = PipelineRun(pipeline: pipeline)
            for stage in pipeline.stages {
                let recipe = stage.recipe
                let state: String
                do {
                    state = switch try run.state(of: stage) {
                    case .pending: "not started"
                    case let .interrupted(epoch, step): "interrupted at step \(step) (epoch \(epoch + 1))"
                    case .finished: "finished"
                    }
                } catch {
                    throw CommandFailure("\(error)")
                }
                var line = "\(stage.name): \(recipe.model.name), \(recipe.schedule.epochs) epochs at "
                    + "\(recipe.data.imageSize > 0 ? "\(recipe.data.imageSize) px" : "native size"), lr "
                    + String(format: "%g", recipe.optimizer.learningRate)
                if let from = stage.startsFrom { line += ", from \(from):\(recipe.initialization.checkpoint.rawValue)" }
                if !recipe.freeze.parts.isEmpty { line += ", frozen \(recipe.freeze.parts.joined(separator: "+"))" }
                print(line + " — \(state)")
            }
        }
    }

    /// The pipeline in `file` with its stages under `output` (default runs/<file name>), or a CommandFailure naming the key.
    static func load(file: String, output: String?) throws -> Pipeline {
        let url = URL(fileURLWithPath: file)
        let folder = output ?? "runs/" + url.deletingPathExtension().lastPathComponent
        do {
            return try PipelineLoader(knownModels: ModelRegistry.ids, presets: PresetLibrary.locate())
                .load(file: url, output: URL(fileURLWithPath: folder))
        } catch {
            throw CommandFailure(error.description)
        }
    }
}
