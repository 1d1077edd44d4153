import Foundation
import Testing
@testable import Recipes

/// Pipeline files: stages resolve to complete recipes, `init: stage:...` to the earlier stage's folder, errors to keys.
@Suite struct PipelineLoaderTests {
    /// Writes `files` (name → YAML) into a fresh folder and returns it.
    func folder(_ files: [String: String]) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("hone-pipeline-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        for (name, text) in files {
            try text.write(to: url.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        return url
    }

    let pipelineLoader = PipelineLoader(knownModels: ["resnet18", "resnet50"], presets: nil)

    @Test func stagesGetTheirRecipeOverridesLearningRateScaleAndEarlierStageFolder() throws {
        let directory = try folder([
            "base.yaml": "model:\n  name: resnet50\noptimizer:\n  lr: 0.4\nschedule:\n  warmup_epochs: 2\n",
            "pipeline.yaml": """
                set:
                  seed: 7
                stages:
                  - name: low
                    recipe: base.yaml
                    set: {data.image_size: 24}
                  - name: high
                    recipe: base
                    init: stage:low:last
                    set:
                      data.image_size: 32
                  - name: finetune
                    recipe: base
                    init: stage:high
                    lr_scale: 0.1
                    set:
                      schedule.warmup_epochs: 0
                      freeze.parts: [stem, layer1]
                """,
        ])
        defer { try? FileManager.default.removeItem(at: directory) }
        let output = directory.appendingPathComponent("out")
        let pipeline = try pipelineLoader.load(file: directory.appendingPathComponent("pipeline.yaml"), output: output)
        #expect(pipeline.stages.map(\.name) == ["low", "high", "finetune"])
        let (low, high, finetune) = (pipeline.stages[0].recipe, pipeline.stages[1].recipe, pipeline.stages[2].recipe)
        #expect([low.seed, high.seed, finetune.seed] == [7, 7, 7])
        #expect(low.model.name == "resnet50" && low.data.imageSize == 24 && low.initialization.from == nil)
        #expect(high.data.imageSize == 32)
        #expect(high.initialization.from == output.standardizedFileURL.appendingPathComponent("low").path)
        #expect(high.initialization.checkpoint == .last)
        #expect(pipeline.stages[1].startsFrom == "low")
        #expect(finetune.initialization.from == output.standardizedFileURL.appendingPathComponent("high").path)
        #expect(finetune.initialization.checkpoint == .best)
        #expect(abs(finetune.optimizer.learningRate - 0.04) < 1e-15)
        #expect(finetune.schedule.warmupEpochs == 0 && high.schedule.warmupEpochs == 2)
        #expect(finetune.freeze.parts == ["stem", "layer1"])
    }

    @Test func errorsNameThePipelineFileLineAndStageKey() throws {
        let cases: [(stages: String, line: Int, message: String)] = [
            ("  - name: a\n    recipe: base\n    set: {schedule.epochs: -1}\n", 4,
             "stages[0].set.schedule.epochs: expected an integer >= 0, found '-1'"),
            ("  - name: a\n    recipe: base\n  - name: b\n    recipe: base\n    init: stage:c\n", 6,
             "stages[1].init: 'stage:c' names no earlier stage; expected stage:<name>[:best|:last] with one of a"),
            ("  - name: a\n    recipe: base\n    init: stage:a\n", 4,
             "stages[0].init: 'stage:a' names no earlier stage; expected stage:<name>[:best|:last] with a stage before this one"),
            ("  - name: a\n    recipe: base\n  - name: a\n    recipe: base\n", 4,
             "stages[1].name: a stage called 'a' comes earlier; expected a unique name"),
            ("  - name: a\n    recipe: base\n    lr_scal: 0.1\n", 4,
             "stages[0].lr_scal: unknown key 'lr_scal' in a stage; valid keys: name, recipe, init, lr_scale, set; "
                + "did you mean 'lr_scale'?"),
            ("  - name: a/b\n    recipe: base\n", 2,
             "stages[0].name: 'a/b' cannot name a folder; expected letters, digits, '.', '_' and '-'"),
            ("  - name: a\n    recipe: base\n  - name: b\n    recipe: base\n    init: stage:a:first\n", 6,
             "stages[1].init: 'stage:a:first': expected stage:<name>, stage:<name>:best or stage:<name>:last"),
        ]
        for (stages, line, message) in cases {
            let directory = try folder(["base.yaml": "seed: 1\n", "p.yaml": "stages:\n" + stages])
            defer { try? FileManager.default.removeItem(at: directory) }
            #expect {
                try pipelineLoader.load(file: directory.appendingPathComponent("p.yaml"), output: directory)
            } throws: { error in
                guard let error = error as? RecipeError else { return false }
                return error.description.hasSuffix(message) && error.line == line && error.source.hasSuffix("p.yaml")
            }
        }
    }
}
