import Foundation
import Testing
@testable import Recipes

@Suite struct ShippedRecipeTests {
    static let folder = repositoryRoot.appendingPathComponent("recipes")

    func load(_ name: String) throws -> Recipe {
        try loader.load(file: Self.folder.appendingPathComponent(name), overrides: [])
    }

    @Test func defaultFashionMNISTRecipeLoadsAsACompactResNet() throws {
        let recipe = try load("fashion-mnist.yaml")
        #expect(recipe.model.name == "resnet18")
        #expect(recipe.model.stem == .smallImage)
        #expect(recipe.model.width < 1)
        #expect(recipe.model.zeroInitResidual)
        #expect(recipe.data.dataset == .fashionMNIST)
        #expect(recipe.schedule.epochs == 10)
        #expect(recipe.schedule.decay == .cosine)
        #expect(recipe.loss.labelSmoothing > 0)
        #expect(recipe.optimizer.noBiasDecay && recipe.optimizer.nesterov)
    }

    @Test func fullWidthResNet18RecipeLoads() throws {
        let recipe = try load("fashion-mnist-resnet18.yaml")
        #expect(recipe.model.name == "resnet18")
        #expect(recipe.model.stem == .smallImage)
        #expect(recipe.model.width == 1)
        #expect(recipe.schedule.epochs == 30)
    }

    @Test func everyShippedRecipeLoadsRoundTripsAndStartsWithAHeaderComment() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.folder.path)
            .filter { $0.hasSuffix(".yaml") }.sorted()
        #expect(names.contains("fashion-mnist.yaml") && names.contains("fashion-mnist-resnet18.yaml"))
        for name in names {
            let text = try String(contentsOf: Self.folder.appendingPathComponent(name), encoding: .utf8)
            #expect(text.hasPrefix("#"), "\(name) should start with a comment saying what it is")
            let recipe = try load(name)
            #expect(try parse(recipe.resolvedYAML()) == recipe, "\(name)")
        }
    }
}
