import Testing
@testable import Recipes

@Suite struct RecipeDefaultsTests {
    @Test func emptyFileIsTheDefaultRecipe() throws {
        #expect(try parse("") == Recipe())
        #expect(try parse("# only a comment\n") == Recipe())
    }

    @Test func noFileAndNoOverridesIsTheDefaultRecipe() throws {
        #expect(try loader.load(file: nil, overrides: []) == Recipe())
    }

    @Test func defaultsMatchTheSchema() {
        let recipe = Recipe()
        #expect(recipe.seed == 0)
        #expect(recipe.model == Recipe.Model(name: "resnet18", stem: nil, downsample: nil, strideIn: nil, norm: .batch,
                                             normGroups: 32, zeroInitResidual: false, dropPathRate: 0, dropoutRate: 0,
                                             width: 1))
        #expect(recipe.data.dataset == .fashionMNIST)
        #expect(recipe.data.path == "/usr/share/datasets/fashion-mnist")
        #expect(recipe.data.batchSize == 128)
        #expect(recipe.data.evalBatchSize == 500)
        #expect(recipe.data.randomCropPadding == 4)
        #expect(recipe.data.horizontalFlip)
        #expect(recipe.data.randomErasing == 0)
        #expect(recipe.data.randomErasingMode == .pixel)
        #expect(recipe.data.workers == 1)
        #expect(recipe.optimizer == Recipe.Optimizer(name: .sgd, learningRate: 0.1, learningRateBaseBatch: 256,
                                                     learningRateScaling: .linear, momentum: 0.9, nesterov: true,
                                                     weightDecay: 5e-4, noBiasDecay: true, betas: [0.9, 0.999],
                                                     epsilon: nil, alpha: 0.9, trustCoefficient: 0.001,
                                                     trustClip: false, maxGradientNorm: 1))
        #expect(recipe.schedule == Recipe.Schedule(epochs: 10, warmupEpochs: 1, warmupStartLR: 0, decay: .cosine,
                                                   minLR: 0, stepEpochs: 30, milestones: [30, 60, 80], gamma: 0.1,
                                                   power: 2))
        #expect(recipe.loss.labelSmoothing == 0)
        #expect(recipe.run == Recipe.Run(threads: 0, precision: .f32, evalEvery: 1, checkpointEvery: 0))
    }

    @Test func choiceRawValuesAreTheYAMLSpellings() {
        #expect(Recipe.Model.Stem.allCases.map(\.rawValue) == ["classic", "deep", "small-image"])
        #expect(Recipe.Model.Downsample.allCases.map(\.rawValue) == ["convolution", "average-pool"])
        #expect(Recipe.Model.StridePlacement.allCases.map(\.rawValue) == ["first", "middle"])
        #expect(Recipe.Model.Normalization.allCases.map(\.rawValue) == ["batch", "group"])
        #expect(Recipe.Data.Dataset.allCases.map(\.rawValue) == ["fashion-mnist", "image-folder", "image-list", "webdataset", "cifar10-binary",
                                                                  "cifar100-binary"])
        #expect(Recipe.Data.Interpolation.allCases.map(\.rawValue) == ["bilinear", "bicubic", "nearest"])
        #expect(Recipe.Data.MixupMode.allCases.map(\.rawValue) == ["batch", "pair", "elem"])
        #expect(Recipe.Data.BadSamples.allCases.map(\.rawValue) == ["fail", "skip"])
        #expect(Recipe.Optimizer.Name.allCases.map(\.rawValue) == ["sgd", "adamw", "lars", "lamb", "rmsproptf"])
        #expect(Recipe.Optimizer.LearningRateScaling.allCases.map(\.rawValue) == ["linear", "sqrt", "none"])
        #expect(Recipe.Schedule.Decay.allCases.map(\.rawValue) == ["constant", "cosine", "step", "multistep", "poly"])
        #expect(Recipe.Run.Precision.allCases.map(\.rawValue) == ["f32", "bf16"])
    }

    @Test func fileValuesReplaceDefaultsAndLeaveTheRestAlone() throws {
        let recipe = try parse("""
            seed: 7
            model:
              name: resnet50d
              stem: deep
              downsample: average-pool
              stride_in: middle
              norm: group
              norm_groups: 16
              width: 0.5
            schedule:
              decay: multistep
              milestones: [3, 6]
              warmup_epochs: 0.5
            run:
              precision: bf16
            """)
        #expect(recipe.seed == 7)
        #expect(recipe.model.name == "resnet50d")
        #expect(recipe.model.stem == .deep)
        #expect(recipe.model.downsample == .averagePool)
        #expect(recipe.model.strideIn == .middle)
        #expect(recipe.model.norm == .group)
        #expect(recipe.model.normGroups == 16)
        #expect(recipe.model.width == 0.5)
        #expect(recipe.schedule.decay == .multistep)
        #expect(recipe.schedule.milestones == [3, 6])
        #expect(recipe.schedule.warmupEpochs == 0.5)
        #expect(recipe.schedule.epochs == 10)
        #expect(recipe.run.precision == .bf16)
        #expect(recipe.data == Recipe.Data())
    }

    @Test func integersAreAcceptedWhereNumbersAreExpected() throws {
        let recipe = try parse("optimizer:\n  lr: 1\nschedule:\n  warmup_epochs: 2\n")
        #expect(recipe.optimizer.learningRate == 1)
        #expect(recipe.schedule.warmupEpochs == 2)
    }

    @Test func nullResetsAnOptionalChoiceAndAnEmptySectionKeepsDefaults() throws {
        let recipe = try parse("model:\n  stem: ~\n  downsample: null\n  stride_in:\ndata:\n")
        #expect(recipe.model.stem == nil)
        #expect(recipe.model.downsample == nil)
        #expect(recipe.model.strideIn == nil)
        #expect(recipe.data == Recipe.Data())
    }

    @Test func anEmptyModelListAcceptsAnyModelName() throws {
        let recipe = try RecipeLoader(knownModels: [])
            .parse(yaml: "model:\n  name: my-net\n", source: "x", overrides: [])
        #expect(recipe.model.name == "my-net")
    }

    @Test func effectiveLearningRateFollowsTheScalingRule() {
        var optimizer = Recipe.Optimizer(learningRate: 0.1, learningRateBaseBatch: 256)
        optimizer.learningRateScaling = .linear
        #expect(abs(optimizer.effectiveLearningRate(batchSize: 1024) - 0.4) < 1e-12)
        #expect(abs(optimizer.effectiveLearningRate(batchSize: 128) - 0.05) < 1e-12)
        optimizer.learningRateScaling = .squareRoot
        #expect(abs(optimizer.effectiveLearningRate(batchSize: 1024) - 0.2) < 1e-12)
        optimizer.learningRateScaling = .none
        #expect(optimizer.effectiveLearningRate(batchSize: 1024) == 0.1)
    }
}
