import Foundation
import Interop
import Recipes
import TensorCore
import Testing
import Training

/// Stopping a run after any step and resuming it gives exactly the weights of the run that never stopped.
@Suite(.serialized) struct ResumeTests {
    /// Trains `recipe` in `folder`, asking to stop after `stopAfter` steps (then resuming) when given.
    func train(_ recipe: Recipe, in folder: URL, stopAfter: Int?) throws -> Trainer.Result {
        _ = trainingBackend
        let run = RunFolder(url: folder)
        let stop = StopRequest(listensToSignals: false)
        let first = try Trainer(recipe: recipe, folder: run, resume: false, stopRequest: stop, display: silentDisplay())
        if let stopAfter {
            first.observers.append { event in
                if case .stepEnd(let step, _, _) = event, step == stopAfter { stop.request(reason: "test") }
            }
        }
        let result = try first.run()
        guard stopAfter != nil else { return result }
        #expect(result.stoppedEarly)
        let second = try Trainer(recipe: recipe, folder: run, resume: true,
                                 stopRequest: StopRequest(listensToSignals: false), display: silentDisplay())
        return try second.run()
    }

    func weights(in folder: URL) throws -> SafeTensors {
        try SafeTensors(contentsOf: RunFolder(url: folder).checkpoints.modelURL(.last))
    }

    @Test func resumingMidEpochIsBitExact() throws {
        let recipe = try tinyRecipe()
        let (straight, interrupted) = (try temporaryFolder("straight"), try temporaryFolder("interrupted"))
        defer { try? FileManager.default.removeItem(at: straight); try? FileManager.default.removeItem(at: interrupted) }
        let uninterrupted = try train(recipe, in: straight, stopAfter: nil)
        let resumed = try train(recipe, in: interrupted, stopAfter: 4)
        #expect(uninterrupted.steps == 12 && resumed.steps == 12)
        expectIdenticalWeights(try weights(in: straight), try weights(in: interrupted), after: "resuming")
        #expect(uninterrupted.finalEvaluation == resumed.finalEvaluation)
        let summary = try String(contentsOf: RunFolder(url: interrupted).summaryURL, encoding: .utf8)
        #expect(summary.split(separator: "\n").count == 3)
    }

    /// A run started by an older Hone (its recipe.yaml and checkpoint predate `model.sync_bn`) resumes.
    @Test func aRunWrittenBeforeARecipeKeyExistedResumes() throws {
        _ = trainingBackend
        let url = try temporaryFolder("older-run")
        defer { try? FileManager.default.removeItem(at: url) }
        let recipe = try tinyRecipe(["schedule.epochs=1"])
        let folder = RunFolder(url: url)
        let stop = StopRequest(listensToSignals: false)
        let first = try Trainer(recipe: recipe, folder: folder, resume: false, stopRequest: stop, display: silentDisplay())
        first.observers.append { event in
            if case .stepEnd(let step, _, _) = event, step == 1 { stop.request(reason: "test") }
        }
        #expect(try first.run().stoppedEarly)
        // What the older version wrote: the recipe without the key, and the fingerprint of that text.
        let older = recipe.resolvedYAML().replacingOccurrences(of: "  sync_bn: false\n", with: "")
        try Data(older.utf8).write(to: folder.recipeURL)
        let (today, then) = (Data(recipe.fingerprint.utf8), Data(Recipe.fingerprint(ofResolvedYAML: older).utf8))
        let checkpoint = folder.checkpoints.modelURL(.last).deletingLastPathComponent().resolvingSymlinksInPath()
        var replaced = 0
        for file in try FileManager.default.contentsOfDirectory(at: checkpoint, includingPropertiesForKeys: nil) {
            var bytes = try Data(contentsOf: file)
            while let range = bytes.range(of: today) {
                bytes.replaceSubrange(range, with: then)
                replaced += 1
            }
            try bytes.write(to: file)
        }
        #expect(replaced >= 1, "the checkpoint records the recipe's fingerprint")
        let resumed = try Trainer(recipe: recipe, folder: folder, resume: true,
                                  stopRequest: StopRequest(listensToSignals: false), display: silentDisplay())
        let result = try resumed.run()
        #expect(!result.stoppedEarly && result.steps > 1 && result.finalEvaluation != nil)
    }

    @Test func resumingWithAnotherRecipeIsRefused() throws {
        let folder = try temporaryFolder("refuse")
        defer { try? FileManager.default.removeItem(at: folder) }
        _ = try train(try tinyRecipe(["schedule.epochs=1"]), in: folder, stopAfter: nil)
        #expect(throws: CheckpointError.self) {
            _ = try Trainer(recipe: try tinyRecipe(["schedule.epochs=3"]), folder: RunFolder(url: folder), resume: true,
                            stopRequest: StopRequest(listensToSignals: false), display: silentDisplay())
        }
    }
}
