import Foundation
import Testing
@testable import Recipes

@Suite struct RecipeErrorTests {
    @Test func invalidChoiceNamesFileLineColumnKeyAndChoices() throws {
        let error = try #require(parseError("seed: 1\nmodel:\n  stem: wide\n"))
        #expect(error.description == "recipes/test.yaml:3:9: model.stem: 'wide' is not a valid choice; "
            + "expected one of classic, deep, small-image, or null")
        #expect(error.line == 3 && error.column == 9 && error.keyPath == "model.stem")
    }

    @Test func invalidErasingModeAndProbabilityNameTheKeyAndWhatIsValid() throws {
        let mode = try #require(parseError("data:\n  random_erasing_mode: noise\n"))
        #expect(mode.description == "recipes/test.yaml:2:24: data.random_erasing_mode: 'noise' is not a valid choice; "
            + "expected one of const, rand, pixel")
        let probability = try #require(parseError("data:\n  random_erasing: 1.5\n"))
        #expect(probability.keyPath == "data.random_erasing" && probability.line == 2)
    }

    @Test func requiredChoiceListsOnlyItsCases() throws {
        let error = try #require(parseError("schedule:\n  decay: linear\n"))
        #expect(error.description == "recipes/test.yaml:2:10: schedule.decay: 'linear' is not a valid choice; "
            + "expected one of constant, cosine, step, multistep, poly")
    }

    @Test func unknownModelListsTheKnownModels() throws {
        let error = try #require(parseError("model:\n  name: resnet19\n"))
        #expect(error.description == "recipes/test.yaml:2:9: model.name: 'resnet19' is not a valid choice; "
            + "expected one of resnet18, resnet34, resnet50, resnet50d")
    }

    @Test func unknownKeyNamesTheSectionAndListsValidKeys() throws {
        let error = try #require(parseError("schedule:\n  epochs: 5\n  lr_sceduler: cosine\n"))
        #expect(error.description == "recipes/test.yaml:3:3: schedule.lr_sceduler: unknown key 'lr_sceduler' in "
            + "'schedule'; valid keys: epochs, warmup_epochs, warmup_start_lr, decay, min_lr, step_epochs, "
            + "milestones, gamma, power")
    }

    @Test func unknownTopLevelKeyListsTheSections() throws {
        let error = try #require(parseError("seed: 1\nscheduler:\n  epochs: 3\n"))
        #expect(error.description == "recipes/test.yaml:2:1: scheduler: unknown key 'scheduler' at the top level; "
            + "valid keys: seed, model, data, optimizer, schedule, loss, gradient, ema, run, init, freeze; "
            + "did you mean 'schedule'?")
    }

    @Test func nearMissKeySuggestsTheValidKey() throws {
        let error = try #require(parseError("data:\n  batchsize: 64\n"))
        #expect(error.message.hasSuffix("did you mean 'batch_size'?"))
        let dashed = try #require(parseError("data:\n  eval-batch-size: 64\n"))
        #expect(dashed.message.hasSuffix("did you mean 'eval_batch_size'?"))
    }

    @Test func illTypedValueNamesTheExpectedTypeAndWhatWasFound() throws {
        let error = try #require(parseError("schedule:\n  epochs: ten\n"))
        #expect(error.description == "recipes/test.yaml:2:11: schedule.epochs: expected an integer >= 0, found 'ten'")
        let flag = try #require(parseError("data:\n  horizontal_flip: maybe\n"))
        #expect(flag.description
            == "recipes/test.yaml:2:20: data.horizontal_flip: expected true or false, found 'maybe'")
        let list = try #require(parseError("optimizer:\n  lr: [0.1]\n"))
        #expect(list.description == "recipes/test.yaml:2:7: optimizer.lr: expected a number > 0, found a list")
    }

    @Test func quotedNumberIsAStringNotANumber() throws {
        let error = try #require(parseError("schedule:\n  epochs: '10'\n"))
        #expect(error.message == "expected an integer >= 0, found '10'")
    }

    @Test func outOfRangeValuesAreRejected() throws {
        let cases: [(yaml: String, message: String)] = [
            ("schedule:\n  epochs: -1\n", "schedule.epochs: expected an integer >= 0, found '-1'"),
            ("run:\n  recalibrate_bn: -2\n", "run.recalibrate_bn: expected an integer >= 0, found '-2'"),
            ("data:\n  workers: -1\n", "data.workers: expected an integer >= 0, found '-1'"),
            ("model:\n  dropout_rate: 1.0\n", "model.dropout_rate: expected a number >= 0 and < 1, found '1.0'"),
            ("model:\n  width: 0\n", "model.width: expected a number > 0, found '0'"),
            ("optimizer:\n  weight_decay: -1e-4\n", "optimizer.weight_decay: expected a number >= 0, found '-1e-4'"),
            ("optimizer:\n  momentum: .nan\n", "optimizer.momentum: expected a number >= 0 and < 1, found '.nan'"),
            ("optimizer:\n  lr: .inf\n", "optimizer.lr: expected a number > 0, found '.inf'"),
            ("seed: -1\n", "seed: expected an integer from 0 to 18446744073709551615, found '-1'"),
            ("run:\n  eval_every: 0\n", "run.eval_every: expected an integer > 0, found '0'"),
            ("gradient:\n  accumulation_steps: 0\n",
             "gradient.accumulation_steps: expected an integer > 0, found '0'"),
            ("gradient:\n  clip: -0.5\n", "gradient.clip: expected a number >= 0, found '-0.5'"),
            ("ema:\n  decay: 1\n", "ema.decay: expected a number >= 0 and < 1, found '1'"),
            ("ema:\n  every: 0\n", "ema.every: expected an integer > 0, found '0'"),
        ]
        for (yaml, message) in cases {
            let error = try #require(parseError(yaml), "\(yaml) should not load")
            #expect(error.description.hasSuffix(message), "\(error)")
            #expect(error.line != nil && error.column != nil)
        }
    }

    @Test func milestonesThatDoNotIncreaseAreRejectedAtTheOffendingItem() throws {
        let error = try #require(parseError("schedule:\n  milestones: [30, 60, 60]\n"))
        #expect(error.description == "recipes/test.yaml:2:24: schedule.milestones[2]: "
            + "expected increasing values, but 60 follows 60")
        let scalar = try #require(parseError("schedule:\n  milestones: 30\n"))
        #expect(scalar.message == "expected a list of increasing integers > 0, such as [30, 60, 80], found '30'")
    }

    @Test func imageDataKeysNameTheKeyAndWhatIsValid() throws {
        let scale = try #require(parseError("data:\n  scale: [1.0, 0.5]\n"))
        #expect(scale.keyPath == "data.scale" && scale.message.contains("low <= high"))
        let ratio = try #require(parseError("data:\n  ratio: [0.75]\n"))
        #expect(ratio.message.hasPrefix("expected a list of 2 numbers, each a number > 0"))
        let mean = try #require(parseError("data:\n  mean: [0.5, 0.5]\n"))
        #expect(mean.keyPath == "data.mean" && mean.message.hasPrefix("expected a list of 0 or 1 or 3 numbers"))
        let probability = try #require(parseError("data:\n  mixup_prob: 1.5\n"))
        #expect(probability.message.hasPrefix("expected a number >= 0 and <= 1"))
        let mode = try #require(parseError("data:\n  mixup_mode: element\n"))
        #expect(mode.message.contains("expected one of batch, pair, elem"))
        let item = try #require(parseError("data:\n  std: [0.2, -1, 0.3]\n"))
        #expect(item.keyPath == "data.std[1]")
    }

    @Test func unknownClipModeListsTheModes() throws {
        let error = try #require(parseError("gradient:\n  clip_mode: adaptive\n"))
        #expect(error.description == "recipes/test.yaml:2:14: gradient.clip_mode: 'adaptive' is not a valid choice; "
            + "expected one of norm, value, agc")
    }

    @Test func nonMappingTopLevelIsRejected() throws {
        let list = try #require(parseError("- seed\n- model\n"))
        #expect(list.description == "recipes/test.yaml:1:1: expected a mapping of the recipe's sections "
            + "(seed, model, data, optimizer, schedule, loss, gradient, ema, run, init, freeze), found a list")
        let scalar = try #require(parseError("resnet18\n"))
        #expect(scalar.message.hasSuffix("found 'resnet18'"))
    }

    @Test func sectionGivenAsAScalarIsRejected() throws {
        let error = try #require(parseError("model: resnet18\n"))
        #expect(error.description == "recipes/test.yaml:1:8: model: expected a mapping of the keys of 'model' "
            + "(name, stem, downsample, stride_in, norm, norm_groups, sync_bn, zero_init_residual, drop_path_rate, "
            + "dropout_rate, width), found 'resnet18'")
    }

    @Test func duplicateKeyIsReportedAtItsSecondOccurrenceWithItsPath() throws {
        let nested = try #require(parseError("seed: 1\nmodel:\n  name: resnet18\n  width: 0.5\n  name: resnet34\n"))
        #expect(nested.description == "recipes/test.yaml:5:3: model.name: duplicate key 'name'; "
            + "it was first given at line 3")
        let top = try #require(parseError("seed: 1\nrun:\n  threads: 2\nseed: 2\n"))
        #expect(top.description == "recipes/test.yaml:4:1: seed: duplicate key 'seed'; it was first given at line 1")
    }

    @Test func yamlSyntaxErrorCarriesYamsPosition() throws {
        let error = try #require(parseError("model:\n  name: resnet18\n   width: 0.5\n"))
        #expect(error.source == "recipes/test.yaml")
        #expect(error.line == 3)
        #expect(error.column != nil)
        #expect(error.message.hasPrefix("invalid YAML: "))
        let unclosed = try #require(parseError("schedule:\n  milestones: [30, 60\n"))
        #expect(unclosed.line != nil && unclosed.message.hasPrefix("invalid YAML: "))
    }

    @Test func unreadableFileNamesThePath() throws {
        do {
            _ = try loader.load(file: URL(fileURLWithPath: "/nonexistent/recipe.yaml"), overrides: [])
            Issue.record("loading a missing file should fail")
        } catch {
            #expect(error.source == "/nonexistent/recipe.yaml")
            #expect(error.line == nil)
            #expect(error.description.hasPrefix("/nonexistent/recipe.yaml: cannot read the recipe"))
        }
    }
}
