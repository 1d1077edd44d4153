import Autodiff
import Foundation
import Interop
import Models
import Recipes
import TensorCore
import Testing
@testable import Training

/// `init.from`: weights from Hone runs and torchvision-named files, with head and stem adaptation and strict checks.
@Suite struct InitialWeightsTests {
    /// A narrow small-image ResNet-18 recipe (no data is read).
    func recipe(width: Double = 0.125, stem: String = "small-image", seed: UInt64 = 1) throws -> Recipe {
        try RecipeLoader(knownModels: []).load(file: nil, overrides: [
            "model.name=resnet18", "model.stem=\(stem)", "model.width=\(width)", "seed=\(seed)",
        ])
    }

    func model(_ recipe: Recipe, classes: Int = 10, channels: Int = 1) throws -> ResNet {
        _ = trainingBackend
        return try ModelFactory.makeModel(recipe: recipe, classes: classes, inputChannels: channels)
    }

    /// Writes `model`'s state dictionary to `name` in `folder`.
    func write(_ model: ResNet, to folder: URL, name: String = "model.safetensors") throws -> URL {
        let url = folder.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try StateDictionary.export(model).write(to: url)
        return url
    }

    func section(_ from: URL, checkpoint: Recipe.Initialization.Checkpoint = .best,
                 strict: Bool = false) -> Recipe.Initialization {
        Recipe.Initialization(from: from.path, checkpoint: checkpoint, strict: strict)
    }

    @Test func aRunFoldersChosenCheckpointIsCopiedTensorForTensor() throws {
        let folder = try temporaryFolder("init-run")
        defer { try? FileManager.default.removeItem(at: folder) }
        let best = try model(try recipe(seed: 1)), last = try model(try recipe(seed: 2))
        _ = try write(best, to: folder, name: "checkpoints/best/model.safetensors")
        _ = try write(last, to: folder, name: "checkpoints/last/model.safetensors")
        for (checkpoint, source) in [(Recipe.Initialization.Checkpoint.best, best), (.last, last)] {
            let target = try model(try recipe(seed: 3))
            let lines = try InitialWeights.load(section(folder, checkpoint: checkpoint), into: target)
            #expect(lines[0].hasSuffix("checkpoints/\(checkpoint.rawValue)/model.safetensors"))
            #expect(lines.contains { $0.contains("0 missing, 0 unexpected") }, "\(lines)")
            expectIdenticalWeights(StateDictionary.export(source), StateDictionary.export(target), after: "init")
        }
    }

    @Test func aTorchvisionNamedFileLoadsWhatMatchesAndReportsTheRest() throws {
        let folder = try temporaryFolder("init-torchvision")
        defer { try? FileManager.default.removeItem(at: folder) }
        var generator = SeededGenerator(seed: 5)
        func random(_ shape: Shape) -> Tensor {
            Tensor(shape: shape, scalars: (0..<shape.elementCount).map { _ in Float.random(in: -1...1, using: &generator) })
        }
        // The stem and classifier of torchvision's resnet18 at width 16, as `torch.save` names them, and one stray head.
        let tensors: [(String, Tensor)] = [
            ("conv1.weight", random([16, 1, 3, 3])), ("bn1.weight", random([16])), ("bn1.bias", random([16])),
            ("bn1.running_mean", random([16])), ("bn1.running_var", Tensor(shape: [16], scalars: random([16]).scalars.map { 1 + abs($0) })),
            ("fc.weight", random([10, 128])), ("fc.bias", random([10])), ("head.fc.weight", random([10, 128])),
        ]
        var file = SafeTensors(metadata: ["format": "pt"])
        for (name, tensor) in tensors { file.insert(tensor, named: name) }
        file.insert(IntegerArray(shape: [], values: [7]), named: "bn1.num_batches_tracked")
        let url = folder.appendingPathComponent("resnet18-torchvision.safetensors")
        try file.write(to: url)

        let target = try model(try recipe(width: 0.25))
        let lines = try InitialWeights.load(section(url), into: target)
        let weights = StateDictionary.export(target)
        for (name, tensor) in tensors where name != "head.fc.weight" {
            #expect(weights[name]?.scalars == tensor.scalars, "\(name)")
        }
        #expect(weights.integers(named: "bn1.num_batches_tracked") == [7])
        #expect(lines.contains("init: unexpected (ignored): head.fc.weight"), "\(lines)")
        #expect(lines.contains { $0.hasPrefix("init: missing (kept as initialised): layer1.0.conv1.weight") }, "\(lines)")

        #expect {
            try InitialWeights.load(section(url, strict: true), into: try model(try recipe(width: 0.25)))
        } throws: { error in
            guard case let .strict(file, missing, unexpected) = error as? InitialWeightsError else { return false }
            return file == url.path && missing.contains("layer4.1.bn2.running_var") && unexpected == ["head.fc.weight"]
                && "\(error)".hasPrefix("init.strict: ")
        }
    }

    @Test func aHeadForAnotherClassCountIsReinitialisedAndTheRestLoaded() throws {
        let folder = try temporaryFolder("init-head")
        defer { try? FileManager.default.removeItem(at: folder) }
        let source = try model(try recipe(seed: 1), classes: 10)
        let url = try write(source, to: folder)
        let target = try model(try recipe(seed: 2), classes: 4)
        let initialHead = target.fc.weight.value.scalars
        let lines = try InitialWeights.load(section(url, strict: true), into: target)
        #expect(lines.contains { $0.contains("10 classes, this model 4: fc.weight and fc.bias re-initialised") })
        #expect(target.fc.weight.value.scalars == initialHead)
        #expect(target.stem.convolutions[0].weight.value.scalars == source.stem.convolutions[0].weight.value.scalars)
        let loaded = StateDictionary.export(target), original = StateDictionary.export(source)
        #expect(loaded["layer3.1.conv2.weight"]?.scalars == original["layer3.1.conv2.weight"]?.scalars)
    }

    @Test func skippedPartsKeepTheirInitialisationAndTheRestLoads() throws {
        let folder = try temporaryFolder("init-skip")
        defer { try? FileManager.default.removeItem(at: folder) }
        let source = try model(try recipe(seed: 1))
        let url = try write(source, to: folder)
        let target = try model(try recipe(seed: 2))
        let initial = StateDictionary.export(target)
        var section = section(url, strict: true)
        section.skip = ["head", "layer4.1.bn*"]
        let lines = try InitialWeights.load(section, into: target)
        #expect(lines.contains { $0.hasPrefix("init: head not loaded (init.skip), kept as initialised: fc.weight, fc.bias") },
                "\(lines)")
        let loaded = StateDictionary.export(target), original = StateDictionary.export(source)
        for name in loaded.names {
            let skipped = name.hasPrefix("fc.") || name.hasPrefix("layer4.1.bn")
            let expected = skipped ? initial : original
            if let tensor = loaded[name] {
                #expect(tensor.scalars == expected[name]?.scalars, "\(name) should come from the \(skipped ? "model" : "file")")
            }
        }

        section.skip = ["layer9"]
        #expect(throws: InitialWeightsError.skipSelectsNothing(part: "layer9")) {
            _ = try InitialWeights.load(section, into: try model(try recipe(seed: 3)))
        }
    }

    /// The logits of `model` in evaluation mode for `images`.
    func logits(_ model: ResNet, _ images: Tensor) -> [Float] {
        model.setTraining(false)
        return withoutGradients { Compute.backend.reorder(model(Variable(images)).value, to: .plain).scalars }
    }

    @Test(arguments: [(3, 1), (1, 3)])
    func anAdaptedStemGivesTheSameLogitsOnGreyImages(from sourceChannels: Int, to targetChannels: Int) throws {
        let folder = try temporaryFolder("init-stem")
        defer { try? FileManager.default.removeItem(at: folder) }
        let source = try model(try recipe(stem: "classic", seed: 1), channels: sourceChannels)
        let url = try write(source, to: folder)
        let target = try model(try recipe(stem: "classic", seed: 2), channels: targetChannels)
        let lines = try InitialWeights.load(section(url, strict: true), into: target)
        #expect(lines.contains { $0.hasPrefix("init: conv1.weight adapted from \(sourceChannels) to \(targetChannels)") })

        var generator = SeededGenerator(seed: 9)
        let grey = (0..<2 * 32 * 32).map { _ in Float.random(in: -2...2, using: &generator) }
        func images(channels: Int) -> Tensor {
            var pixels: [Float] = []
            for image in 0..<2 {
                for _ in 0..<channels { pixels += grey[image * 1024..<(image + 1) * 1024] }
            }
            return Tensor(shape: [2, channels, 32, 32], scalars: pixels)
        }
        let expected = logits(source, images(channels: sourceChannels))
        let actual = logits(target, images(channels: targetChannels))
        let scale = expected.map(abs).max()!
        #expect(scale > 0)
        for (value, reference) in zip(actual, expected) {
            #expect(abs(value - reference) <= 1e-4 * scale, "\(value) vs \(reference)")
        }
    }

    @Test func aShapeThatStillDiffersNamesTheTensorTheFileAndBothShapes() throws {
        let folder = try temporaryFolder("init-shape")
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = try write(try model(try recipe(width: 0.25)), to: folder)
        #expect {
            try InitialWeights.load(section(url), into: try model(try recipe(width: 0.125)))
        } throws: { error in
            let text = "\(error)"
            return text.hasPrefix("init.from: \(url.path): tensor 'conv1.weight' has shape")
                && text.contains("[16, 1, 3, 3]") && text.contains("[8, 1, 3, 3]")
        }
        #expect(throws: InitialWeightsError.notFound(path: folder.appendingPathComponent("none").path)) {
            try InitialWeights.load(section(folder.appendingPathComponent("none")), into: try model(try recipe()))
        }
    }
}
