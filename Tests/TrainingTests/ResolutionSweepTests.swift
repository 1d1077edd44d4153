import Foundation
import Interop
import Recipes
import Testing
import TestSupport
import Training

/// Resolution sweeps and batch-norm recalibration on a tiny run trained on the shared CIFAR-10 JPEGs.
///
/// The run trains once (64 images at 24 px, 4 steps) and every test evaluates its
/// last checkpoint on 40 test images; each sweep cell must equal what a separate
/// evaluator built for that test size and crop fraction reports.
@Suite(.enabled(if: SharedDatasets.hasCIFAR10JPEG, "needs \(SharedDatasets.cifar10JPEGArchiveName)"))
struct ResolutionSweepTests {
    static func recipe(_ extra: [String] = []) throws -> Recipe {
        let root = try SharedDatasets.cifar10JPEGRoot.get()
        return try tinyRecipe([
            "data.dataset=image-folder", "data.path=\(root.path)", "data.train_limit=64", "data.eval_limit=40",
            "data.image_size=24", "schedule.epochs=1",
        ] + extra)
    }

    /// The trained run's folder, trained once for the whole suite (at a fixed path, replaced by every test run).
    static let trainedRun = Result { () throws -> URL in
        _ = trainingBackend
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hone-resolution-sweep-run")
        try? FileManager.default.removeItem(at: folder)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let trainer = try Trainer(recipe: try recipe(), folder: RunFolder(url: folder), resume: false,
                                  stopRequest: StopRequest(listensToSignals: false), display: silentDisplay())
        _ = try trainer.run()
        return folder
    }

    static func weights() throws -> URL {
        RunFolder(url: try trainedRun.get()).checkpoints.modelURL(.last)
    }

    /// An evaluator for `recipe` holding the trained weights.
    static func evaluator(_ recipe: Recipe) throws -> Evaluator {
        let evaluator = try Evaluator(recipe: recipe)
        let report = try evaluator.load(weights: try weights())
        #expect(report.missing.isEmpty && report.unexpected.isEmpty)
        return evaluator
    }

    /// An evaluator whose recipe itself asks for `resolution`.
    static func evaluator(at resolution: EvaluationResolution) throws -> Evaluator {
        try evaluator(try recipe(["data.eval_image_size=\(resolution.size)", "data.crop_pct=\(resolution.cropFraction)"]))
    }

    @Test func sweepCellsEqualSeparateEvaluationsAtTheirSettings() throws {
        let sweep = try EvaluationSweep(sizes: [24, 32], cropFractions: [0.875, 1.0])
        let cells = try sweep.run(try Self.evaluator(try Self.recipe()))

        #expect(cells.map(\.resolution) == [
            EvaluationResolution(size: 24, cropFraction: 0.875), EvaluationResolution(size: 24, cropFraction: 1.0),
            EvaluationResolution(size: 32, cropFraction: 0.875), EvaluationResolution(size: 32, cropFraction: 1.0),
        ])
        for cell in cells {
            #expect(cell.metrics.count == 40)
            #expect(try Self.evaluator(at: cell.resolution).evaluate() == cell.metrics,
                    "size \(cell.resolution.size), crop \(cell.resolution.cropFraction)")
        }
        #expect(Set(cells.map(\.metrics.loss)).count == 4, "each resolution shows the model different pixels")
    }

    @Test func recalibratedCellsEqualSeparateRecalibratedEvaluationsAndTheWeightsStayAsLoaded() throws {
        let evaluator = try Self.evaluator(try Self.recipe())
        let recalibrated = try EvaluationSweep(sizes: [32], cropFractions: [0.875, 1.0], recalibrationBatches: 3)
            .run(evaluator)
        let plain = try EvaluationSweep(sizes: [32], cropFractions: [0.875, 1.0]).run(evaluator)

        for (cell, trained) in zip(recalibrated, plain) {
            let separate = try Self.evaluator(at: cell.resolution).evaluate(recalibrationBatches: 3)
            #expect(separate == cell.metrics, "crop \(cell.resolution.cropFraction)")
            #expect(cell.metrics.loss != trained.metrics.loss, "recalibration changed nothing")
        }
        let trained = try SafeTensors(contentsOf: try Self.weights())
        let after = evaluator.stateDictionary()
        #expect(Set(trained.names) == Set(after.names))
        for name in trained.names {
            if let tensor = trained[name] {
                #expect(tensor.scalars == after[name]?.scalars, "\(name) differs after a recalibrated sweep")
            } else {
                #expect(trained.integers(named: name) == after.integers(named: name), "\(name) differs")
            }
        }
    }

    @Test func recalibrationReplacesOnlyRunningStatistics() throws {
        let evaluator = try Self.evaluator(try Self.recipe())
        let report = try evaluator.recalibrateBatchNorm(batches: 5, at: EvaluationResolution(size: 32, cropFraction: 1))
        #expect(report.batches == 5 && report.images == 5 * 16 && report.layers == 20)

        let trained = try SafeTensors(contentsOf: try Self.weights())
        let recalibrated = evaluator.stateDictionary()
        #expect(Set(trained.names) == Set(recalibrated.names))
        var changedStatistics = 0
        for name in trained.names {
            if name.hasSuffix("num_batches_tracked") {
                #expect(recalibrated.integers(named: name) == [5], "\(name)")
            } else if name.hasSuffix("running_mean") || name.hasSuffix("running_var") {
                if trained[name]?.scalars != recalibrated[name]?.scalars { changedStatistics += 1 }
            } else {
                #expect(trained[name]?.scalars == recalibrated[name]?.scalars, "\(name) changed")
            }
        }
        #expect(changedStatistics == 40, "every batch norm's mean and variance are re-estimated")
    }

    @Test func inMemoryImageFilesRefuseOtherResolutionsNamingTheKey() throws {
        let evaluator = try Self.evaluator(try Self.recipe(["data.in_memory=true"]))
        do {
            _ = try evaluator.evaluate(at: EvaluationResolution(size: 32, cropFraction: 1))
            Issue.record("an in-memory set was evaluated at another size")
        } catch let error as DataConfigurationError {
            #expect(error.key == "data.in_memory" && error.message.contains("24×24"))
        }
        #expect(try evaluator.evaluate(recalibrationBatches: 2).count == 40)
    }

    @Test func honeEvalPrintsTheSweepAsJSONAndAsATable() throws {
        let run = try Self.trainedRun.get()
        let cells = try EvaluationSweep(sizes: [24, 32], cropFractions: [0.875, 1.0])
            .run(try Self.evaluator(try Self.recipe()))

        let json = try runHone(["eval", "--checkpoint", run.path, "--sizes", "24,32", "--crop-pcts", "0.875,1.0",
                                "--json", "--threads", "2"])
        #expect(json.status == 0, "\(json.errors)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any])
        let results = try #require(object["results"] as? [[String: Any]])
        #expect(results.map { $0["size"] as? Int } == [24, 24, 32, 32])
        #expect(results.map { $0["crop_pct"] as? Double } == [0.875, 1.0, 0.875, 1.0])
        #expect(results.map { $0["top1"] as? Double } == cells.map(\.metrics.top1))
        let losses = results.compactMap { $0["loss"] as? Double }
        #expect(losses.count == 4 && zip(losses, cells).allSatisfy { abs($0 - $1.metrics.loss) <= 1e-12 },
                "JSON losses \(losses) vs \(cells.map(\.metrics.loss))")
        #expect((results.first?["per_class"] as? [[String: Any]])?.count == 10)

        let table = try runHone(["eval", "--checkpoint", run.path, "--sizes", "24,32", "--crop-pcts", "0.875,1.0",
                                 "--threads", "2"])
        let lines = table.output.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix("top-1 %") && $0.contains("crop 0.875") && $0.contains("crop 1.0") })
        let row = try #require(lines.first { $0.hasPrefix("size 32") })
        #expect(row.contains(String(format: "%.2f", cells[3].metrics.top1)))
    }

    @Test func honeEvalRejectsBadListsAndFixedSizeDataNamingTheOptionAndKey() throws {
        let run = try Self.trainedRun.get()
        let crop = try runHone(["eval", "--checkpoint", run.path, "--crop-pcts", "0.9,1.5"])
        #expect(crop.status != 0 && crop.errors.contains("--crop-pcts 0.9,1.5: crop fraction 1.5 is outside (0, 1]"))
        let size = try runHone(["eval", "--checkpoint", run.path, "--sizes", "24,x"])
        #expect(size.status != 0 && size.errors.contains("--sizes 24,x: 'x' is not a number"))
        let save = try runHone(["eval", "--checkpoint", run.path, "--save", "/tmp/never.safetensors"])
        #expect(save.status != 0 && save.errors.contains("--recalibrate-bn"))
        let fashion = try runHone(["eval", "--weights", "/nonexistent/model.safetensors", "--sizes", "32"])
        #expect(fashion.status != 0 && fashion.errors.contains("--sizes 32: data.dataset: in-memory images keep the 28×28"),
                "\(fashion.errors)")
    }

    /// Runs the `hone` executable SwiftPM built next to this test bundle; returns its status, stdout and stderr.
    func runHone(_ arguments: [String]) throws -> (status: Int32, output: String, errors: String) {
        let bundle = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        let executable = URL(fileURLWithPath: bundle).deletingLastPathComponent().appendingPathComponent("hone")
        try #require(FileManager.default.isExecutableFile(atPath: executable.path),
                     "expected the hone executable at \(executable.path); `swift build` builds it")
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let printed = output.fileHandleForReading.readDataToEndOfFile()
        let complained = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: printed, as: UTF8.self),
                String(decoding: complained, as: UTF8.self))
    }
}
