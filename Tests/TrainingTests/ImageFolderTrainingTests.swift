import DataPipeline
import Foundation
import Recipes
import Testing
import TestSupport
@testable import Training

/// Training from image files end to end: the real CIFAR-10 JPEG ImageFolder, streamed and decoded into memory.
@Suite(.enabled(if: SharedDatasets.hasCIFAR10JPEG, "needs \(SharedDatasets.cifar10JPEGArchiveName)"))
struct ImageFolderTrainingTests {
    func cifarRecipe(_ extra: [String]) throws -> Recipe {
        let root = try SharedDatasets.cifar10JPEGRoot.get()
        return try tinyRecipe([
            "data.dataset=image-folder", "data.path=\(root.path)", "data.train_limit=64", "data.eval_limit=40",
            "schedule.epochs=1",
        ] + extra)
    }

    func train(_ recipe: Recipe) throws -> (Trainer.Result, URL) {
        _ = trainingBackend
        let folder = try temporaryFolder("image-folder")
        let trainer = try Trainer(recipe: recipe, folder: RunFolder(url: folder), resume: false,
                                  stopRequest: StopRequest(listensToSignals: false), display: silentDisplay())
        return (try trainer.run(), folder)
    }

    @Test func streamedJPEGsTrainWithRandAugmentAndMixing() throws {
        let (result, folder) = try train(try cifarRecipe([
            "data.image_size=24", "data.eval_image_size=32", "data.crop_pct=1.0", "data.scale=[0.35, 1.0]",
            "data.auto_augment=rand-m9-mstd0.5-inc1", "data.mixup=0.8", "data.cutmix=1.0", "data.workers=2",
        ]))
        defer { try? FileManager.default.removeItem(at: folder) }
        let evaluation = try #require(result.finalEvaluation)
        #expect(evaluation.count == 40)
        #expect(result.steps == 4)
        #expect(evaluation.loss.isFinite)
    }

    @Test func inMemoryJPEGsTrainWithTheCIFARAugmentation() throws {
        let (result, folder) = try train(try cifarRecipe(["data.in_memory=true", "data.random_crop_padding=4"]))
        defer { try? FileManager.default.removeItem(at: folder) }
        let evaluation = try #require(result.finalEvaluation)
        #expect(evaluation.count == 40 && evaluation.loss.isFinite)
    }

    /// WebDataset shards made from CIFAR-10 JPEGs (`key.jpg` + `key.cls`, written by GNU tar) train like the folder.
    @Test func webDatasetShardsTrain() throws {
        let root = try SharedDatasets.cifar10JPEGRoot.get()
        let shards = try temporaryFolder("shards")
        defer { try? FileManager.default.removeItem(at: shards) }
        for (split, count) in [("train", 64), ("test", 40)] {
            let index = try ImageFolder.index(root: root.appendingPathComponent(split))
            let members = shards.appendingPathComponent("members-\(split)")
            try FileManager.default.createDirectory(at: members, withIntermediateDirectories: true)
            var names: [String] = []
            for position in 0..<count {
                let sample = position * index.count / count
                let key = String(format: "%06d", position)
                try Data(try index.encodedBytes(at: sample)).write(to: members.appendingPathComponent("\(key).jpg"))
                try Data("\(index.targets.labels(at: sample).first!)".utf8).write(to: members.appendingPathComponent("\(key).cls"))
                names += ["\(key).jpg", "\(key).cls"]
            }
            let tar = Process()
            tar.executableURL = URL(fileURLWithPath: "/usr/bin/tar")
            tar.arguments = ["-cf", shards.appendingPathComponent("\(split).tar").path, "-C", members.path] + names
            try tar.run()
            tar.waitUntilExit()
            #expect(tar.terminationStatus == 0)
        }
        let (result, folder) = try train(try tinyRecipe([
            "data.dataset=webdataset", "data.path=\(shards.path)", "data.train_split=train.tar",
            "data.eval_split=test.tar", "data.image_size=24", "data.eval_image_size=32", "data.crop_pct=1.0",
            "schedule.epochs=1",
        ]))
        defer { try? FileManager.default.removeItem(at: folder) }
        let evaluation = try #require(result.finalEvaluation)
        #expect(evaluation.count == 40 && result.steps == 4 && evaluation.loss.isFinite)
    }

    /// A folder with a broken file and an empty class trains under skip/allow, and the log names both.
    @Test func skippedImagesAndEmptyClassesAreLoggedByName() throws {
        let root = try SharedDatasets.cifar10JPEGRoot.get()
        let data = try temporaryFolder("broken-folder")
        defer { try? FileManager.default.removeItem(at: data) }
        let source = try ImageFolder.index(root: root.appendingPathComponent("test"))
        for split in ["train", "test"] {
            for position in 0..<32 {
                let sample = position * source.count / 32
                let folder = data.appendingPathComponent("\(split)/\(source.classNames[Int(source.targets.labels(at: sample).first!)])")
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                try Data(try source.encodedBytes(at: sample)).write(to: folder.appendingPathComponent("\(position).jpg"))
            }
            try FileManager.default.createDirectory(at: data.appendingPathComponent("\(split)/zebra"),
                                                    withIntermediateDirectories: true)
        }
        try Data([0xFF, 0xD8, 0xFF, 0xE0, 0x00]).write(to: data.appendingPathComponent("train/airplane/broken.jpg"))
        let (result, folder) = try train(try tinyRecipe([
            "data.dataset=image-folder", "data.path=\(data.path)", "data.train_limit=0", "data.eval_limit=0",
            "data.image_size=24", "data.bad_samples=skip", "data.allow_empty_classes=true", "schedule.epochs=1",
        ]))
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(result.finalEvaluation?.count == 32)
        let log = try String(contentsOf: folder.appendingPathComponent("log.txt"), encoding: .utf8)
        #expect(log.contains("classes without training images (allowed by data.allow_empty_classes): zebra"))
        #expect(log.contains("skipped unreadable image \(data.path)/train/airplane/broken.jpg"))
        #expect(log.contains("1 unreadable training image skipped so far"))
    }

    /// `data.class_map` fixes the class ids: here the reverse of the folders' sorted order.
    @Test func classMapFixesTheClassIds() throws {
        _ = try SharedDatasets.cifar10JPEGRoot.get()
        let mapFolder = try temporaryFolder("class-map")
        defer { try? FileManager.default.removeItem(at: mapFolder) }
        let reversed = Array(SharedDatasetsClasses.cifar10.reversed())
        let map = mapFolder.appendingPathComponent("classes.txt")
        try Data(reversed.joined(separator: "\n").utf8).write(to: map)
        let data = try TrainingData(recipe: try cifarRecipe(["data.image_size=24", "data.class_map=\(map.path)"]))
        #expect(data.classNames == reversed)
        do {
            _ = try TrainingData(recipe: try cifarRecipe(["data.image_size=24", "data.class_map=/nonexistent/classes.txt"]))
            Issue.record("a missing class map was accepted")
        } catch {
            #expect("\(error)".contains("/nonexistent/classes.txt"))
        }
    }

    @Test func grayscaleKeyMakesEveryStreamedTrainingImageGrey() throws {
        let recipe = try cifarRecipe(["data.image_size=16", "data.grayscale=1", "data.mean=[0.5]", "data.std=[0.25]",
                                      "data.lighting=0", "data.batch_size=8"])
        var stream = try TrainingData(recipe: recipe).trainingLoader.stream(epoch: 0, startingAt: 0)
        let batch = try #require(try stream.next())
        let plane = batch.height * batch.width
        var colourful = 0
        for image in 0..<batch.count {
            let base = image * 3 * plane
            for pixel in 0..<plane where batch.pixels[base + pixel] != batch.pixels[base + plane + pixel]
                || batch.pixels[base + pixel] != batch.pixels[base + 2 * plane + pixel] {
                colourful += 1
            }
        }
        #expect(colourful == 0)
        var colourStream = try TrainingData(recipe: try cifarRecipe([
            "data.image_size=16", "data.mean=[0.5]", "data.std=[0.25]", "data.batch_size=8",
        ])).trainingLoader.stream(epoch: 0, startingAt: 0)
        let colourBatch = try #require(try colourStream.next())
        #expect((0..<plane).contains { colourBatch.pixels[$0] != colourBatch.pixels[plane + $0] })
    }

    @Test func streamOnlyAugmentationsAreRefusedForInMemorySetsByKey() throws {
        for key in ["data.grayscale", "data.gaussian_blur", "data.lighting"] {
            do {
                _ = try TrainingData(recipe: try cifarRecipe(["data.in_memory=true", "\(key)=0.1"]))
                Issue.record("\(key) was accepted for an in-memory set")
            } catch let error as DataConfigurationError {
                #expect(error.key == key)
            }
        }
    }

    @Test func recipeErrorsNameTheDataKey() throws {
        #expect(throws: DataConfigurationError(key: "data.image_size", message: "streamed image data needs a crop size > 0 "
                                                  + "(e.g. 224), or in_memory: true for same-sized images")) {
            _ = try train(try cifarRecipe([]))
        }
        do {
            _ = try train(try cifarRecipe(["data.image_size=24", "data.auto_augment=rand-x9"]))
            Issue.record("a bad auto_augment string was accepted")
        } catch let error as DataConfigurationError {
            #expect(error.key == "data.auto_augment" && error.description.contains("rand-x9"))
        }
        do {
            _ = try train(try cifarRecipe(["data.eval_split=nowhere", "data.in_memory=true"]))
            Issue.record("a missing split was accepted")
        } catch let error as DataConfigurationError {
            #expect(error.key == "data.eval_split" && error.message.contains("nowhere"))
        }
    }
}

/// CIFAR-10's class names in the folders' sorted order.
enum SharedDatasetsClasses {
    static let cifar10 = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"]
}
