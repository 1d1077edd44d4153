import Experiments
import Foundation
import Recipes
import Testing

/// The experiment files in `experiments/` load against the shipped presets, with the cells their tables need.
struct ShippedExperimentTests {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    let loader = ExperimentLoader(knownModels: [], presets: PresetLibrary(folder: repositoryRoot.appendingPathComponent("recipes")))

    @Test func everyShippedExperimentLoadsAndStartsWithAHeaderComment() throws {
        let folder = Self.repositoryRoot.appendingPathComponent("experiments")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".yaml") }
        #expect(names.contains("tricks-cifar10.yaml"))
        for name in names {
            let file = folder.appendingPathComponent(name)
            #expect(try String(contentsOf: file, encoding: .utf8).hasPrefix("#"), "\(name) should say what it reproduces")
            let plan = try loader.load(file: file)
            #expect(plan.experiment.name + ".yaml" == name)
            #expect(plan.experiment.seeds.count >= 3, "\(name): the tables need several seeds")
        }
        let readme = try String(contentsOf: folder.appendingPathComponent("README.md"), encoding: .utf8)
        for name in names {
            #expect(readme.contains("| \(name) |"), "experiments/README.md should list \(name) in its table")
        }
    }

    @Test func tricksTableHasTheBaselineAndOneTechniquePerCell() throws {
        let plan = try loader.load(file: Self.repositoryRoot.appendingPathComponent("experiments/tricks-cifar10.yaml"))
        #expect(plan.recipeURL.lastPathComponent == "flyegle-baseline-cifar10.yaml")
        #expect(plan.experiment.overrides == ["schedule.epochs=8", "data.train_limit=10000", "run.eval_every=8"])
        #expect(plan.experiment.baseline == "baseline")
        #expect(plan.experiment.cells.map(\.factors) == [
            "-", "loss.label_smoothing=0.1", "data.mixup=0.2", "data.cutmix=1.0", "loss.name=bce",
        ])
        #expect(plan.cellRecipes.allSatisfy { $0.schedule.epochs == 8 && $0.data.trainLimit == 10000 })
        #expect(plan.cellRecipes[3].data.cutmix == 1 && plan.cellRecipes[4].loss.name == .bce)
    }
}
