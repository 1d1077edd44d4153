import Foundation
import Interop
import Recipes
import Testing
import Training

/// What a run leaves behind: the resolved recipe, summary.csv with timm's columns, evaluation files, checkpoints.
@Suite(.serialized) struct RunFolderTests {
    @Test func runWritesItsFolder() throws {
        _ = trainingBackend
        let url = try temporaryFolder("folder")
        defer { try? FileManager.default.removeItem(at: url) }
        let folder = RunFolder(url: url)
        let trainer = try Trainer(recipe: try tinyRecipe(["schedule.epochs=1"]), folder: folder, resume: false,
                                  stopRequest: StopRequest(listensToSignals: false), display: silentDisplay())
        let result = try trainer.run()
        let summary = try String(contentsOf: folder.summaryURL, encoding: .utf8).split(separator: "\n")
        #expect(summary.first == "epoch,train_loss,eval_loss,eval_top1,eval_top5,lr,images_per_second,wall_seconds")
        #expect(summary.count == 2)
        #expect(result.finalEvaluation?.count == 50)
        let confusion = try String(contentsOf: folder.evaluationURL.appendingPathComponent("confusion_matrix.csv"),
                                   encoding: .utf8)
        #expect(confusion.split(separator: "\n").count == 11)
        #expect(FileManager.default.fileExists(atPath: folder.recipeURL.path))
        #expect(folder.checkpoints.exists(.last) && folder.checkpoints.exists(.best))
        let weights = try SafeTensors(contentsOf: folder.checkpoints.modelURL(.last))
        #expect(weights.contains("layer4.1.bn2.running_var") && weights.contains("fc.weight"))
    }

    /// A run folder written before a key existed (its recipe.yaml lacks `model.sync_bn`) still holds the same run;
    /// a changed value does not.
    @Test func aRecipeWrittenBeforeAKeyExistedStillMatches() throws {
        let url = try temporaryFolder("older-recipe")
        defer { try? FileManager.default.removeItem(at: url) }
        let recipe = try tinyRecipe([])
        let folder = RunFolder(url: url)
        try folder.create(recipeYAML: recipe.resolvedYAML().replacingOccurrences(of: "  sync_bn: false\n", with: ""))
        #expect(try !String(contentsOf: folder.recipeURL, encoding: .utf8).contains("sync_bn"))
        #expect(folder.holdsRun(of: recipe))
        var changed = recipe
        changed.model.syncBatchNorm = true
        #expect(!folder.holdsRun(of: changed))
        #expect(Recipe.fingerprint(ofResolvedYAML: recipe.resolvedYAML()) == recipe.fingerprint)
    }

    @Test func truncatedCheckpointGivesAClearError() throws {
        _ = trainingBackend
        let url = try temporaryFolder("truncated")
        defer { try? FileManager.default.removeItem(at: url) }
        let folder = RunFolder(url: url)
        _ = try Trainer(recipe: try tinyRecipe(["schedule.epochs=1"]), folder: folder, resume: false,
                        stopRequest: StopRequest(listensToSignals: false), display: silentDisplay()).run()
        let file = folder.checkpoints.modelURL(.last).resolvingSymlinksInPath()
        let bytes = try Data(contentsOf: file)
        try bytes.prefix(bytes.count / 2).write(to: file)
        do {
            _ = try folder.checkpoints.load(.last)
            Issue.record("a truncated checkpoint loaded")
        } catch {
            #expect(error.description.contains("model.safetensors") || error.description.contains("checkpoints"))
        }
    }
}
