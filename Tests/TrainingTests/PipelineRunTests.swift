import Foundation
import Interop
import Models
import Recipes
import TensorCore
import Testing
@testable import Training

/// Pipelines: a stage starts from the earlier stage's weights; finished stages are skipped, an interrupted one resumed.
@Suite(.serialized) struct PipelineRunTests {
    /// A two-stage pipeline over the tiny recipe: train 1 epoch, then continue from its last checkpoint with stem frozen.
    func pipeline(in folder: URL) throws -> Pipeline {
        let base = try tinyRecipe(["schedule.epochs=1", "data.train_limit=32", "data.eval_limit=20"])
        try base.resolvedYAML().write(to: folder.appendingPathComponent("tiny.yaml"), atomically: true, encoding: .utf8)
        try """
            stages:
              - name: first
                recipe: tiny
              - name: second
                recipe: tiny.yaml
                init: stage:first:last
                lr_scale: 0.1
                set:
                  schedule.warmup_epochs: 0
                  freeze.parts: [stem]
            """.write(to: folder.appendingPathComponent("pipeline.yaml"), atomically: true, encoding: .utf8)
        return try PipelineLoader(knownModels: ModelRegistry.ids, presets: nil)
            .load(file: folder.appendingPathComponent("pipeline.yaml"), output: folder.appendingPathComponent("out"))
    }

    @Test func theSecondStageStartsFromTheFirstStagesWeightsAndARerunSkipsBoth() throws {
        _ = trainingBackend
        let folder = try temporaryFolder("pipeline")
        defer { try? FileManager.default.removeItem(at: folder) }
        let pipeline = try pipeline(in: folder)
        let run = PipelineRun(pipeline: pipeline)
        let outcomes = try run.run(stopRequest: StopRequest(listensToSignals: false), display: silentDisplay())
        #expect(outcomes.map(\.skipped) == [false, false])
        #expect(try pipeline.stages.map { try run.state(of: $0) } == [.finished, .finished])

        let firstWeights = try SafeTensors(contentsOf: RunFolder(url: pipeline.folder(of: "first")).checkpoints.modelURL(.last))
        let second = pipeline.stages[1].recipe
        let setup = try TrainingSetup(recipe: second, classes: 10, channels: 1, learningRate: 0.01,
                                      objective: try ObjectiveFactory.makeObjective(recipe: second, classes: 10,
                                                                                    inputChannels: 1))
        let start = StateDictionary.export(setup.model)
        #expect(Set(start.names) == Set(firstWeights.names))
        for name in firstWeights.names {
            if let tensor = firstWeights[name] {
                #expect(start[name]?.scalars == tensor.scalars, "\(name) differs at the start of stage 2")
            } else {
                #expect(start.integers(named: name) == firstWeights.integers(named: name), "\(name) differs")
            }
        }
        let secondFolder = RunFolder(url: pipeline.folder(of: "second"))
        let log = try String(contentsOf: secondFolder.logURL, encoding: .utf8)
        #expect(log.contains("init: weights from \(pipeline.folder(of: "first").path)/checkpoints/last/model.safetensors"))
        let secondWeights = try SafeTensors(contentsOf: secondFolder.checkpoints.modelURL(.last))
        #expect(secondWeights["conv1.weight"]?.scalars == firstWeights["conv1.weight"]?.scalars)
        #expect(secondWeights["fc.weight"]?.scalars != firstWeights["fc.weight"]?.scalars)

        let summary = try Data(contentsOf: secondFolder.summaryURL)
        let again = try run.run(stopRequest: StopRequest(listensToSignals: false), display: silentDisplay())
        #expect(again.map(\.skipped) == [true, true])
        #expect(try Data(contentsOf: secondFolder.summaryURL) == summary)
    }

    @Test func anInterruptedStageIsResumedAndAChangedRecipeIsRefused() throws {
        _ = trainingBackend
        let folder = try temporaryFolder("pipeline-resume")
        defer { try? FileManager.default.removeItem(at: folder) }
        let pipeline = try pipeline(in: folder)
        let run = PipelineRun(pipeline: pipeline)
        let stop = StopRequest(listensToSignals: false)
        stop.request(reason: "test")
        let stopped = try run.run(stopRequest: stop, display: silentDisplay())
        #expect(stopped.count == 1 && stopped[0].result?.stoppedEarly == true)
        #expect(try run.state(of: pipeline.stages[0]) == .interrupted(epoch: 0, step: 1))
        #expect(try run.state(of: pipeline.stages[1]) == .pending)

        let resumed = try run.run(stopRequest: StopRequest(listensToSignals: false), display: silentDisplay())
        #expect(resumed.map(\.skipped) == [false, false])
        #expect(resumed[0].result?.steps == 2)
        let log = try String(contentsOf: RunFolder(url: pipeline.folder(of: "first")).logURL, encoding: .utf8)
        #expect(log.contains("resumed from step 1"))

        var edited = pipeline
        edited.stages[0].recipe.schedule.epochs = 2
        #expect(throws: PipelineRunError.recipeChanged(stage: "first", folder: pipeline.folder(of: "first").path)) {
            try PipelineRun(pipeline: edited).state(of: edited.stages[0])
        }
    }
}
