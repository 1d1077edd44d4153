import Foundation
import Interop
import Recipes
import TensorCore
import Testing
@testable import Training

/// `schedule.epochs: 0` evaluates the weights `init.from` names; `run.recalibrate_bn` re-estimates batch norms before the final evaluation.
@Suite(.serialized) struct EvaluationOnlyRunTests {
    /// Trains the tiny recipe for one epoch into `folder`, then returns it.
    func trainedRun(in folder: URL, _ extra: [String] = []) throws -> RunFolder {
        _ = trainingBackend
        let run = RunFolder(url: folder)
        let recipe = try tinyRecipe(["schedule.epochs=1"] + extra)
        _ = try Trainer(recipe: recipe, folder: run, resume: false, stopRequest: StopRequest(listensToSignals: false),
                        display: silentDisplay()).run()
        return run
    }

    @Test func aRunOfZeroEpochsEvaluatesTheLoadedWeightsAsTheirOwnRunDid() throws {
        let folder = try temporaryFolder("evaluation-only")
        defer { try? FileManager.default.removeItem(at: folder) }
        let source = try trainedRun(in: folder.appendingPathComponent("source"))
        let recipe = try tinyRecipe(["schedule.epochs=0", "init.from=\(source.url.path)", "init.checkpoint=last"])
        let target = RunFolder(url: folder.appendingPathComponent("target"))
        let result = try Trainer(recipe: recipe, folder: target, resume: false,
                                 stopRequest: StopRequest(listensToSignals: false), display: silentDisplay()).run()
        #expect(result.steps == 0)
        let sourceSummary = try String(contentsOf: source.summaryURL, encoding: .utf8).split(separator: "\n")
        let targetSummary = try String(contentsOf: target.summaryURL, encoding: .utf8).split(separator: "\n")
        #expect(targetSummary.count == 2, "a header and one evaluation row")
        let sourceEvaluation = sourceSummary.last!.split(separator: ",", omittingEmptySubsequences: false)[2...4]
        let targetRow = targetSummary.last!.split(separator: ",", omittingEmptySubsequences: false)
        #expect(targetRow[0] == "0" && targetRow[1].isEmpty, "epoch 0, no training loss")
        #expect(targetRow[2...4] == sourceEvaluation, "the same weights give the same loss, top-1 and top-5")
        expectIdenticalWeights(try SafeTensors(contentsOf: source.checkpoints.modelURL(.last)),
                               try SafeTensors(contentsOf: target.checkpoints.modelURL(.best)), after: "0 epochs")
        #expect(try target.checkpoints.load(.last).progress.epoch >= recipe.schedule.epochs)
    }

    @Test func zeroEpochsWithoutWeightsToLoadIsAnErrorNamingTheKey() throws {
        let folder = try temporaryFolder("evaluation-only-error")
        defer { try? FileManager.default.removeItem(at: folder) }
        _ = trainingBackend
        #expect {
            _ = try Trainer(recipe: try tinyRecipe(["schedule.epochs=0"]), folder: RunFolder(url: folder), resume: false,
                            stopRequest: StopRequest(listensToSignals: false), display: silentDisplay())
        } throws: { error in
            "\(error)".hasPrefix("schedule.epochs: 0 epochs trains nothing") && "\(error)".contains("init.from")
        }
    }

    @Test func recalibratingAModelWithoutBatchNormsIsRefusedBeforeTraining() throws {
        let folder = try temporaryFolder("recalibrate-group-norm")
        defer { try? FileManager.default.removeItem(at: folder) }
        _ = trainingBackend
        #expect {
            _ = try Trainer(recipe: try tinyRecipe(["model.norm=group", "model.norm_groups=4", "run.recalibrate_bn=2"]),
                            folder: RunFolder(url: folder), resume: false,
                            stopRequest: StopRequest(listensToSignals: false), display: silentDisplay())
        } throws: { error in
            "\(error)".hasPrefix("run.recalibrate_bn: 2 batches asked for, but the model has no batch norm")
        }
    }

    /// The batch norms' running statistics in a weights file, by name.
    func runningStatistics(_ file: SafeTensors) -> [String: [Float]] {
        var statistics: [String: [Float]] = [:]
        for name in file.names where name.hasSuffix("running_mean") || name.hasSuffix("running_var") {
            statistics[name] = file[name]?.scalars
        }
        return statistics
    }

    @Test func recalibrationBeforeTheFinalEvaluationEqualsRecalibratingTheTrainedWeightsAfterwards() throws {
        let folder = try temporaryFolder("recalibrate-at-end")
        defer { try? FileManager.default.removeItem(at: folder) }
        let plain = try trainedRun(in: folder.appendingPathComponent("plain"))
        let recalibrated = try trainedRun(in: folder.appendingPathComponent("recalibrated"), ["run.recalibrate_bn=3"])
        let plainWeights = try SafeTensors(contentsOf: plain.checkpoints.modelURL(.last))
        let recalibratedWeights = try SafeTensors(contentsOf: recalibrated.checkpoints.modelURL(.last))
        #expect(plainWeights["layer2.0.conv1.weight"]?.scalars == recalibratedWeights["layer2.0.conv1.weight"]?.scalars,
                "recalibration changes no weight")
        #expect(runningStatistics(plainWeights) != runningStatistics(recalibratedWeights))

        let recipe = try tinyRecipe(["schedule.epochs=1", "run.recalibrate_bn=3"])
        let model = try ModelFactory.makeModel(recipe: recipe, classes: 10, inputChannels: 1)
        _ = try StateDictionary.load(plainWeights, into: model, source: "plain")
        let data = try TrainingData(recipe: recipe)
        try BatchNormRecalibration(batches: 3).apply(to: model, loader: data.recalibrationLoader(at: nil))
        let expected = runningStatistics(StateDictionary.export(model))
        let actual = runningStatistics(recalibratedWeights)
        #expect(expected.keys.sorted() == actual.keys.sorted())
        for (name, values) in expected {
            #expect(values == actual[name], "\(name): the run's recalibration differs from recalibrating its weights")
        }
        let log = try String(contentsOf: recalibrated.logURL, encoding: .utf8)
        #expect(log.contains("batch norms recalibrated (run.recalibrate_bn)"))
    }
}
