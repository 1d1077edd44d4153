import Foundation
import Models
import Recipes
import Testing
@testable import Training

/// Every shipped preset builds and takes one finite step that moves its weights (`hone check` on each).
@Suite struct PresetDryRunTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("recipes")
    static let presets = PresetLibrary(folder: folder).names

    @Test func theReportsPresetsAreShipped() {
        for name in ["rsb-a1", "rsb-a2", "rsb-a3", "bag-of-tricks", "torchvision-v2", "flyegle-baseline"] {
            #expect(Self.presets.contains(name), "missing preset \(name)")
            #expect(Self.presets.contains(name + "-cifar10"), "missing small twin of \(name)")
        }
        let steps = Self.presets.filter { $0.hasPrefix("bot-") && !$0.hasSuffix("-cifar10") }
        #expect(steps.count == 9)
        for step in steps { #expect(Self.presets.contains(step + "-cifar10"), "missing small twin of \(step)") }
    }

    /// At a quarter of the width at most: a debug build spends seconds initialising a full ResNet-50's weights.
    @Test(arguments: presets)
    func presetPassesTheDryRun(name: String) throws {
        _ = trainingBackend
        var recipe = try RecipeLoader(knownModels: ModelRegistry.ids)
            .load(file: Self.folder.appendingPathComponent(name + ".yaml"), overrides: [])
        recipe.model.width = min(recipe.model.width, 0.25)
        let report = try RecipeDryRun.run(recipe, maximumImageSize: 32)
        #expect(report.loss.isFinite)
        #expect(report.updatedParameters > 0)
        #expect(report.batchSize == 2 * recipe.gradient.accumulationSteps)
        #expect((recipe.loss.distillationTeacher != nil) == (report.teacher != nil))
        #expect(!recipe.ema.isEnabled || report.averagedWeights)
    }

    @Test func aRecipeThatCannotTrainFailsTheDryRunNamingTheKey() throws {
        _ = trainingBackend
        var recipe = try tinyRecipe()
        recipe.data.batchSize = 30
        recipe.gradient.accumulationSteps = 4
        #expect {
            _ = try RecipeDryRun.run(recipe)
        } throws: { error in
            "\(error)".contains("gradient.accumulation_steps") && "\(error)".contains("30")
        }
        recipe.gradient.accumulationSteps = 3
        recipe.data.batchSize = 33
        recipe.data.mixup = 0.2
        #expect {
            _ = try RecipeDryRun.run(recipe)
        } throws: { error in
            "\(error)".contains("data.batch_size") && "\(error)".contains("even")
        }
    }
}
