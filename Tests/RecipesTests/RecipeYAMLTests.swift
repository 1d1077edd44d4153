import Testing
@testable import Recipes

@Suite struct RecipeYAMLTests {
    /// A recipe with every key away from its default, and values that are awkward to write.
    static var unusual: Recipe {
        Recipe(
            seed: .max,
            model: .init(name: "resnet50d", stem: .smallImage, downsample: .averagePool, strideIn: .middle,
                         norm: .group, normGroups: 8, zeroInitResidual: true, dropPathRate: 0.05,
                         dropoutRate: 0.1 + 0.2, width: 0.25),
            data: .init(dataset: .fashionMNIST, path: "/data/my set: #1/'quoted' \"too\"", batchSize: 96,
                        evalBatchSize: 1000, randomCropPadding: 0, horizontalFlip: false, randomErasing: 0.25,
                        randomErasingMode: .const, workers: 0),
            optimizer: .init(name: .lamb, learningRate: 1e-5, learningRateBaseBatch: 128,
                             learningRateScaling: .squareRoot, momentum: 0.875, nesterov: false, weightDecay: 0,
                             noBiasDecay: false, betas: [0, 0.1 + 0.2], epsilon: 1e-7, alpha: 0.99,
                             trustCoefficient: 0.02, trustClip: true, maxGradientNorm: 0, layerDecay: 0.65,
                             learningRateMultipliers: [.init(part: "layer4.*.bn*", multiplier: 2),
                                                       .init(part: "stem", multiplier: 0.1 + 0.2)]),
            schedule: .init(epochs: 90, warmupEpochs: 0.5, warmupStartLR: 1e-7, decay: .poly, minLR: 1e-6,
                            stepEpochs: 7, milestones: [], gamma: 0.5, power: 1),
            loss: .init(labelSmoothing: 0.1),
            gradient: .init(accumulationSteps: 4, clip: 0.25 + 0.001, clipMode: .agc),
            ema: .init(decay: 0.9998, warmup: true, every: 8),
            run: .init(threads: 3, precision: .bf16, evalEvery: 5, checkpointEvery: 250, recalibrateBatchNorm: 12),
            initialization: .init(from: "runs/a: b/checkpoints", checkpoint: .last, strict: true, skip: ["head", "layer4.*"]),
            freeze: .init(parts: ["stem", "layer1", "layer2.*.bn?", "123"], normEval: false))
    }

    @Test func defaultRecipeWritesEveryKeyInSchemaOrder() {
        #expect(Recipe().resolvedYAML() == """
            seed: 0
            model:
              name: resnet18
              stem: null
              downsample: null
              stride_in: null
              norm: batch
              norm_groups: 32
              sync_bn: false
              zero_init_residual: false
              drop_path_rate: 0.0
              dropout_rate: 0.0
              width: 1.0
            data:
              dataset: fashion-mnist
              path: /usr/share/datasets/fashion-mnist
              batch_size: 128
              eval_batch_size: 500
              random_crop_padding: 4
              horizontal_flip: true
              random_erasing: 0.0
              random_erasing_mode: pixel
              random_erasing_count: 1
              workers: 1
              train_limit: 0
              eval_limit: 0
              train_split: train
              eval_split: test
              in_memory: false
              image_size: 0
              eval_image_size: 0
              crop_pct: 0.875
              interpolation: bilinear
              scale: [0.08, 1.0]
              ratio: [0.75, 1.3333333333333333]
              color_jitter: 0.0
              grayscale: 0.0
              gaussian_blur: 0.0
              lighting: 0.0
              auto_augment: null
              mean: []
              std: []
              mixup: 0.0
              cutmix: 0.0
              mixup_prob: 1.0
              mixup_switch_prob: 0.5
              mixup_mode: batch
              repeated_augmentation: 1
              bad_samples: fail
              bad_samples_limit: 10
              allow_empty_classes: false
              class_map: null
              multi_label: false
            optimizer:
              name: sgd
              lr: 0.1
              lr_base_batch: 256
              lr_scaling: linear
              momentum: 0.9
              nesterov: true
              weight_decay: 0.0005
              no_bias_decay: true
              betas: [0.9, 0.999]
              eps: null
              alpha: 0.9
              trust_coefficient: 0.001
              trust_clip: false
              max_grad_norm: 1.0
              layer_decay: null
              lr_multipliers: {}
            schedule:
              epochs: 10
              warmup_epochs: 1.0
              warmup_start_lr: 0.0
              decay: cosine
              min_lr: 0.0
              step_epochs: 30
              milestones: [30, 60, 80]
              gamma: 0.1
              power: 2.0
            loss:
              name: ce
              label_smoothing: 0.0
              bce_target_threshold: null
              distillation_teacher: null
              distillation_alpha: 0.5
              distillation_temperature: 1.0
            gradient:
              accumulation_steps: 1
              clip: 0.0
              clip_mode: norm
            ema:
              decay: 0.0
              warmup: false
              every: 1
            run:
              threads: 0
              precision: f32
              eval_every: 1
              checkpoint_every: 0
              convolution_algorithm: direct
              recalibrate_bn: 0
            init:
              from: null
              checkpoint: best
              strict: false
              skip: []
            freeze:
              parts: []
              norm_eval: true

            """)
    }

    @Test func resolvedYAMLParsesBackToAnEqualRecipe() throws {
        #expect(try parse(Recipe().resolvedYAML()) == Recipe())
        let unusual = Self.unusual
        #expect(try parse(unusual.resolvedYAML()) == unusual)
    }

    @Test func resolvedYAMLOfAnOverriddenFileRoundTrips() throws {
        let recipe = try parse("model:\n  width: 0.5\n", overrides: ["schedule.milestones=[5,8]", "model.stem=deep"])
        #expect(try parse(recipe.resolvedYAML()) == recipe)
    }

    @Test func stringsThatLookLikeOtherTypesAreQuoted() throws {
        for path in ["123", "true", "null", "", "a: b", "x # y", "[a]", "- a", " lead", "tab\there", "line\nbreak"] {
            var recipe = Recipe()
            recipe.data.path = path.isEmpty ? "~" : path
            let yaml = recipe.resolvedYAML()
            let reloaded = try RecipeLoader(knownModels: []).parse(yaml: yaml, source: "resolved", overrides: [])
            #expect(reloaded.data.path == recipe.data.path, "\(yaml)")
        }
    }

    @Test func fingerprintIsSixteenHexDigitsOfFNV1a() {
        let fingerprint = Recipe().fingerprint
        #expect(fingerprint.count == 16)
        #expect(fingerprint.allSatisfy { $0.isHexDigit && !$0.isUppercase })
        #expect(FNV1a64.hash("".utf8) == 0xcbf2_9ce4_8422_2325)
        #expect(FNV1a64.hash("a".utf8) == 0xaf63_dc4c_8601_ec8c)
        #expect(FNV1a64.hash("foobar".utf8) == 0x8594_4171_f739_67e8)
        let digits = String(FNV1a64.hash(Recipe().resolvedYAML().utf8), radix: 16)
        #expect(fingerprint == String(repeating: "0", count: 16 - digits.count) + digits)
    }

    @Test func fingerprintIgnoresLayoutCommentsAndKeyOrder() throws {
        let compact = try parse("model: {width: 0.5, name: resnet18}\nseed: 3\n")
        let spread = try parse("""
            # a comment
            seed: 3   # trailing

            model:
              name: resnet18
              width: 0.50
            """)
        #expect(compact.fingerprint == spread.fingerprint)
        var direct = Recipe()
        direct.seed = 3
        direct.model.width = 0.5
        #expect(direct.fingerprint == compact.fingerprint)
    }

    @Test func fingerprintChangesWithAnySingleKey() throws {
        let base = Recipe().fingerprint
        let overrides = [
            "seed=1", "model.name=resnet34", "model.stem=classic", "model.downsample=convolution",
            "model.stride_in=first", "model.norm=group", "model.norm_groups=16", "model.zero_init_residual=true",
            "model.drop_path_rate=0.1", "model.dropout_rate=0.1", "model.width=0.5", "data.path=/tmp",
            "data.batch_size=64", "data.eval_batch_size=100", "data.random_crop_padding=2",
            "data.horizontal_flip=false", "data.workers=2", "data.train_limit=100", "data.eval_limit=50",
            "data.grayscale=0.1", "data.gaussian_blur=0.1", "data.lighting=0.1", "optimizer.lr=0.2", "optimizer.lr_base_batch=128",
            "optimizer.lr_scaling=none", "optimizer.momentum=0.8", "optimizer.nesterov=false",
            "optimizer.weight_decay=1e-4", "optimizer.no_bias_decay=false", "optimizer.name=lamb",
            "optimizer.betas=[0.8, 0.999]", "optimizer.eps=1e-6", "optimizer.alpha=0.95",
            "optimizer.trust_coefficient=0.02", "optimizer.trust_clip=true", "optimizer.max_grad_norm=0",
            "schedule.epochs=11",
            "schedule.warmup_epochs=0", "schedule.warmup_start_lr=0.01", "schedule.decay=step",
            "schedule.min_lr=1e-5", "schedule.step_epochs=10", "schedule.milestones=[30, 60]", "schedule.gamma=0.2",
            "schedule.power=1", "loss.label_smoothing=0.1",
            "gradient.accumulation_steps=2", "gradient.clip=1", "gradient.clip_mode=value", "ema.decay=0.999",
            "ema.warmup=true", "ema.every=4", "run.threads=1", "run.precision=bf16",
            "run.eval_every=2", "run.checkpoint_every=100", "optimizer.layer_decay=0.7",
            "optimizer.lr_multipliers={stem: 0.1}", "init.from=runs/x", "init.checkpoint=last", "init.strict=true",
            "freeze.parts=[stem]", "freeze.norm_eval=false",
        ]
        var seen: Set<String> = [base]
        for override in overrides {
            let fingerprint = try parse("", overrides: [override]).fingerprint
            #expect(!seen.contains(fingerprint), "\(override) did not change the fingerprint")
            seen.insert(fingerprint)
        }
    }

    @Test func fingerprintIsStableAcrossCalls() throws {
        let recipe = Self.unusual
        #expect(recipe.fingerprint == recipe.fingerprint)
        #expect(try parse(recipe.resolvedYAML()).fingerprint == recipe.fingerprint)
    }
}
