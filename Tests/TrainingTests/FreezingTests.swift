import Foundation
import Interop
import Models
import Recipes
import TensorCore
import Testing
@testable import Training

/// `freeze`: frozen parts keep their weights (and with `norm_eval` their running statistics) and leave the optimizer.
@Suite(.serialized) struct FreezingTests {
    /// Trains the tiny recipe for 2 steps with `freeze.parts=[stem, layer1]` and returns the initial and final weights.
    func train(normEval: Bool) throws -> (initial: SafeTensors, final: SafeTensors, trainer: Trainer) {
        _ = trainingBackend
        let recipe = try tinyRecipe(["freeze.parts=[stem, layer1]", "freeze.norm_eval=\(normEval)",
                                     "schedule.epochs=1", "data.train_limit=32", "data.eval_limit=20",
                                     "model.drop_path_rate=0", "optimizer.weight_decay=0.01"])
        let initial = StateDictionary.export(try ModelFactory.makeModel(recipe: recipe, classes: 10, inputChannels: 1))
        let folder = try temporaryFolder("freeze")
        defer { try? FileManager.default.removeItem(at: folder) }
        let trainer = try Trainer(recipe: recipe, folder: RunFolder(url: folder), resume: false,
                                  stopRequest: StopRequest(listensToSignals: false), display: silentDisplay())
        let result = try trainer.run()
        #expect(result.steps == 2)
        let final = try SafeTensors(contentsOf: RunFolder(url: folder).checkpoints.modelURL(.last))
        let log = try String(contentsOf: RunFolder(url: folder).logURL, encoding: .utf8)
        #expect(log.contains("frozen: 15 of 62 parameter tensors (in stem, layer1)"), "\(log)")
        return (initial, final, trainer)
    }

    func isFrozenPart(_ name: String) -> Bool {
        name.hasPrefix("conv1.") || name.hasPrefix("bn1.") || name.hasPrefix("layer1.")
    }

    @Test func frozenWeightsAndRunningStatisticsStayBitIdenticalWithNormEval() throws {
        let (initial, final, trainer) = try train(normEval: true)
        for name in initial.names where isFrozenPart(name) {
            if let tensor = initial[name] {
                #expect(final[name]?.scalars == tensor.scalars, "\(name) moved")
            } else {
                #expect(final.integers(named: name) == initial.integers(named: name), "\(name) moved")
            }
        }
        #expect(final["layer2.0.conv1.weight"]?.scalars != initial["layer2.0.conv1.weight"]?.scalars)
        #expect(final["layer2.0.bn1.running_mean"]?.scalars != initial["layer2.0.bn1.running_mean"]?.scalars)
        let paths = trainer.optimizer.parameters.map(\.path)
        #expect(paths.count == 62 - 15 && !paths.contains(where: isFrozenPart))
        let stateful = Set(trainer.optimizer.state.slots.values.flatMap(\.keys))
        #expect(!stateful.isEmpty && !stateful.contains(where: isFrozenPart))
    }

    @Test func withoutNormEvalFrozenWeightsStayButRunningStatisticsMove() throws {
        let (initial, final, _) = try train(normEval: false)
        for name in ["conv1.weight", "bn1.weight", "bn1.bias", "layer1.1.bn2.weight"] {
            #expect(final[name]?.scalars == initial[name]?.scalars, "\(name) moved")
        }
        #expect(final["bn1.running_mean"]?.scalars != initial["bn1.running_mean"]?.scalars)
        #expect(final["layer1.0.bn1.running_var"]?.scalars != initial["layer1.0.bn1.running_var"]?.scalars)
        #expect(final.integers(named: "bn1.num_batches_tracked") == [2])
    }

    @Test func partsAndGlobsSelectTheirParameters() throws {
        _ = trainingBackend
        let recipe = try tinyRecipe()
        let model = try ModelFactory.makeModel(recipe: recipe, classes: 10, inputChannels: 1)
        let frozen = try FrozenParts(.init(parts: ["layer4.*.bn?.*", "head"], normEval: true), model: model)
        #expect(frozen.paths == ["layer4.0.bn1.weight", "layer4.0.bn1.bias", "layer4.0.bn2.weight", "layer4.0.bn2.bias",
                                 "layer4.1.bn1.weight", "layer4.1.bn1.bias", "layer4.1.bn2.weight", "layer4.1.bn2.bias",
                                 "fc.weight", "fc.bias"])
        #expect(frozen.evaluationModeNorms.count == 4)
        frozen.setTraining(true, model: model)
        #expect(frozen.evaluationModeNorms.allSatisfy { !$0.isTraining })
        #expect(model.stem.normalizations[0].layer.parameters.allSatisfy { !$0.isFrozen })
        #expect(throws: ModelPartError.selectsNothing(key: "freeze.parts", part: "layer5")) {
            try FrozenParts(.init(parts: ["layer5"]), model: try ModelFactory.makeModel(recipe: recipe, classes: 10,
                                                                                       inputChannels: 1))
        }
    }
}
