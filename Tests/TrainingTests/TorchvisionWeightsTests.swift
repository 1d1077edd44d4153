import DataPipeline
import Foundation
import Recipes
import Testing
import Training

/// Weights trained elsewhere, with torchvision's names, evaluate in Hone exactly as in PyTorch.
///
/// The fixture comes from `scripts/golden/make_torchvision_eval_fixture.py`: a quarter-width
/// ResNet-18 (16-32-64-128 channels) with the small-image stem, saved under torchvision's
/// state-dictionary names, and what PyTorch gets with it in float64 on the first 200
/// Fashion-MNIST test images standardised with the training split's statistics.
@Suite struct TorchvisionWeightsTests {
    struct Reference: Decodable {
        let images: Int
        let mean: [Double]
        let std: [Double]
        let top1: Double
        let top5: Double
        let loss: Double
        let labels: [Int]
        let predictions: [Int]
    }

    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func reference() throws -> Reference {
        let url = fixtures.appendingPathComponent("torchvision_resnet18_small_eval.json")
        return try JSONDecoder().decode(Reference.self, from: Data(contentsOf: url))
    }

    /// The script's statistics are Hone's: every training pixel, population deviation.
    @Test func fixtureStatisticsMatchHone() throws {
        let reference = try Self.reference()
        let training = try FashionMNIST.load(split: .train, directory: FashionMNIST.defaultDirectory)
        let statistics = ChannelStatistics.measure(training)
        #expect(statistics.mean.count == reference.mean.count)
        for channel in 0..<min(statistics.channels, reference.mean.count) {
            #expect(abs(Double(statistics.mean[channel]) - reference.mean[channel]) < 1e-6)
            #expect(abs(Double(statistics.deviation[channel]) - reference.std[channel]) < 1e-6)
        }
    }

    @Test func evaluatesLikePyTorch() throws {
        _ = trainingBackend
        let reference = try Self.reference()
        let recipe = try RecipeLoader(knownModels: []).load(file: nil, overrides: [
            "model.name=resnet18", "model.stem=small-image", "model.width=0.25", "data.eval_limit=\(reference.images)",
            "data.eval_batch_size=100", "data.train_limit=0", "run.threads=2",
        ])
        let evaluator = try Evaluator(recipe: recipe)
        let report = try evaluator.load(weights: Self.fixtures.appendingPathComponent("torchvision_resnet18_small.safetensors"))
        #expect(report.missing.isEmpty, "missing: \(report.missing)")
        #expect(report.unexpected.isEmpty, "unexpected: \(report.unexpected)")

        let metrics = try evaluator.evaluate()
        #expect(metrics.count == reference.images)
        #expect(metrics.top1 == reference.top1)
        #expect(metrics.top5 == reference.top5)
        #expect(abs(metrics.loss - reference.loss) <= 1e-4 * abs(reference.loss),
                "Hone loss \(metrics.loss), PyTorch \(reference.loss)")

        // The confusion matrix PyTorch's per-image predictions give.
        let classes = metrics.classes
        var expected = Array(repeating: Array(repeating: 0, count: classes), count: classes)
        for (truth, prediction) in zip(reference.labels, reference.predictions) {
            expected[truth][prediction] += 1
        }
        #expect(metrics.confusion == expected)
    }
}
