import Foundation
import Testing
@testable import Recipes

/// The pipelines Hone ships load against the shipped presets and say what their header says.
@Suite struct ShippedPipelineTests {
    let pipelineLoader = PipelineLoader(knownModels: [],
                                        presets: PresetLibrary(folder: repositoryRoot.appendingPathComponent("recipes")))

    @Test func everyShippedPipelineLoads() throws {
        let folder = repositoryRoot.appendingPathComponent("pipelines")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".yaml") }
        #expect(!files.isEmpty)
        for file in files {
            let pipeline = try pipelineLoader.load(file: folder.appendingPathComponent(file),
                                                   output: URL(fileURLWithPath: "/tmp/out"))
            #expect(!pipeline.stages.isEmpty, "\(file)")
        }
    }

    @Test func theResolutionPipelineTrainsLowTestsRecalibratedThenTrainsHighThenFineTunesFrozenAtATenthOfTheRate() throws {
        let file = repositoryRoot.appendingPathComponent("pipelines/resolution-finetune-cifar10.yaml")
        let pipeline = try pipelineLoader.load(file: file, output: URL(fileURLWithPath: "/tmp/out"))
        let (low, test, high, finetune) = (pipeline.stages[0], pipeline.stages[1], pipeline.stages[2], pipeline.stages[3])
        #expect(pipeline.stages.map(\.recipe.data.imageSize) == [24, 24, 32, 32])
        #expect(pipeline.stages.map(\.recipe.data.evalImageSize) == [24, 32, 32, 32])
        #expect(test.startsFrom == low.name && test.recipe.schedule.epochs == 0 && test.recipe.run.recalibrateBatchNorm == 40)
        #expect(high.startsFrom == low.name && finetune.startsFrom == high.name)
        #expect(low.recipe.initialization.from == nil)
        #expect(high.recipe.initialization.from == "/tmp/out/\(low.name)")
        #expect(abs(finetune.recipe.optimizer.learningRate - high.recipe.optimizer.learningRate * 0.1) < 1e-12)
        #expect(finetune.recipe.schedule.warmupEpochs == 0 && high.recipe.schedule.warmupEpochs > 0)
        #expect(finetune.recipe.freeze.parts == ["stem", "layer1"] && finetune.recipe.freeze.normEval)
        #expect(high.recipe.freeze.parts.isEmpty)
    }
}
