import Foundation
import Recipes
import Testing
import Training

/// A recipe on CIFAR-10's binary release layout trains end to end (synthetic files of the real format).
struct CIFARBinaryTrainingTests {
    /// Writes `data_batch_1.bin` ... `data_batch_5.bin`, `test_batch.bin` and `batches.meta.txt` with random pixels.
    func writeRelease(in folder: URL, imagesPerBatch: Int) throws {
        var generator = SystemRandomNumberGenerator()
        func batch(_ name: String) throws {
            var bytes: [UInt8] = []
            for image in 0..<imagesPerBatch {
                bytes.append(UInt8(image % 10))
                bytes += (0..<3072).map { _ in UInt8.random(in: 0...255, using: &generator) }
            }
            try Data(bytes).write(to: folder.appendingPathComponent(name))
        }
        for number in 1...5 { try batch("data_batch_\(number).bin") }
        try batch("test_batch.bin")
        let names = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"]
        try Data(names.joined(separator: "\n").utf8).write(to: folder.appendingPathComponent("batches.meta.txt"))
    }

    @Test func binaryReleaseTrainsInMemory() throws {
        _ = trainingBackend
        let data = try temporaryFolder("cifar-binary")
        let run = try temporaryFolder("cifar-binary-run")
        defer {
            try? FileManager.default.removeItem(at: data)
            try? FileManager.default.removeItem(at: run)
        }
        try writeRelease(in: data, imagesPerBatch: 20)
        let recipe = try tinyRecipe(["data.dataset=cifar10-binary", "data.path=\(data.path)", "data.train_limit=0",
                                     "data.eval_limit=0", "schedule.epochs=1"])
        let trainer = try Trainer(recipe: recipe, folder: RunFolder(url: run), resume: false,
                                  stopRequest: StopRequest(listensToSignals: false), display: silentDisplay())
        let result = try trainer.run()
        #expect(result.steps == 100 / 16)
        #expect(result.finalEvaluation?.count == 20)
    }
}
