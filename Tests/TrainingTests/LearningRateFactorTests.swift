import Foundation
import Interop
import Layers
import Models
import Recipes
import TensorCore
import Testing
@testable import Training

/// `optimizer.layer_decay` and `optimizer.lr_multipliers`: each parameter's step is the learning rate times its factor.
@Suite struct LearningRateFactorTests {
    @Test func layerDecayGoesFromTheHeadBackToTheStemAndMultipliersMultiply() throws {
        _ = trainingBackend
        let recipe = try tinyRecipe(["optimizer.layer_decay=0.5", "optimizer.lr_multipliers={stem: 4, \"layer4.*.bn*\": 3}"])
        let model = try ModelFactory.makeModel(recipe: recipe, classes: 10, inputChannels: 1)
        let scales = try LearningRateScales.scales(recipe.optimizer, parameters: model.namedParameters())
        #expect(scales["fc.weight"] == nil && scales["fc.bias"] == nil)
        #expect(scales["layer4.1.conv2.weight"] == 0.5)
        #expect(scales["layer4.1.bn2.bias"] == 1.5)
        #expect(scales["layer3.0.downsample.0.weight"] == 0.25)
        #expect(scales["layer2.1.conv1.weight"] == 0.125)
        #expect(scales["layer1.0.bn1.weight"] == 0.0625)
        #expect(scales["conv1.weight"] == 0.125 && scales["bn1.bias"] == 0.125)
        #expect(throws: ModelPartError.selectsNothing(key: "optimizer.lr_multipliers", part: "blocks.*")) {
            try LearningRateScales.scales(try tinyRecipe(["optimizer.lr_multipliers={blocks.*: 2}"]).optimizer,
                                          parameters: model.namedParameters())
        }
    }

    /// With plain SGD (no momentum, no decay) one step moves each parameter by exactly lr · factor · gradient.
    @Test(arguments: ["sgd", "adamw"])
    func eachParametersStepUsesItsFactor(optimizerName: String) throws {
        _ = trainingBackend
        let recipe = try tinyRecipe(["optimizer.name=\(optimizerName)", "optimizer.momentum=0", "optimizer.weight_decay=0",
                                     "optimizer.layer_decay=0.5", "optimizer.lr_multipliers={fc.bias: 10}",
                                     "model.zero_init_residual=false", "model.drop_path_rate=0"])
        let objective = try ObjectiveFactory.makeObjective(recipe: recipe, classes: 10, inputChannels: 1)
        let setup = try TrainingSetup(recipe: recipe, classes: 10, channels: 1, learningRate: 0.1, objective: objective)
        #expect(setup.notes.contains("learning-rate factors: stem x0.03125, layer1 x0.0625, layer2 x0.125, "
                                     + "layer3 x0.25, layer4 x0.5, head x1-10"), "\(setup.notes)")
        var generator = SeededGenerator(seed: 3)
        let images = Tensor(shape: [4, 1, 28, 28], scalars: (0..<4 * 784).map { _ in Float.random(in: -1...1, using: &generator) })
        let before = setup.model.namedParameters().map { ($0.path, $0.parameter.value.scalars) }
        setup.setTraining(true)
        setup.step(TrainingBatch(images: images, labels: [0, 1, 2, 3], softTargets: nil), learningRate: 0.1)
        let factors: [String: Float] = ["conv1.weight": 0.03125, "layer1.0.conv1.weight": 0.0625,
                                        "layer3.1.bn2.weight": 0.25, "fc.weight": 1, "fc.bias": 10]
        for (path, old) in before {
            guard let factor = factors[path] else { continue }
            let parameter = try #require(setup.model.namedParameters().first { $0.path == path }?.parameter)
            let gradient = try #require(parameter.gradient).scalars
            let new = parameter.value.scalars
            if optimizerName == "sgd" {
                let rate = Float(0.1) * factor
                #expect(zip(zip(old, gradient), new).allSatisfy { $0.0 - rate * $0.1 == $1 }, "\(path)")
            } else {
                // Adam's first step moves every element by lr·factor·sign(g) (to within ε).
                let moves = zip(old, new).map { abs($0 - $1) }
                let expected = 0.1 * factor
                let checked = zip(moves, gradient).filter { abs($0.1) >= 1e-4 }
                #expect(!checked.isEmpty && checked.allSatisfy { abs($0.0 - expected) <= 1e-3 * expected },
                        "\(path): \(moves.prefix(4)) vs \(expected)")
            }
        }
    }
}
