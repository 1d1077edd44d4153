import Autodiff
import CPUBackend
import Layers
import Models
import TensorCore
import Testing

/// The folded evaluation network computes the same logits as the model itself in evaluation mode.
@Suite struct InferenceResNetTests {
    /// Gives every batch norm a non-trivial scale, shift and running statistics, so folding has something to fold.
    func randomizeNormalizations(_ model: ResNet, seed: UInt64) {
        var generator = SeededGenerator(seed: seed)
        func values(_ count: Int, _ range: ClosedRange<Double>) -> Tensor {
            Tensor(shape: [count], scalars: (0..<count).map { _ in Float(generator.uniform(in: range)) })
        }
        for (_, parameter) in model.namedParameters() {
            let count = parameter.shape.elementCount
            switch parameter.kind {
            case .normScale: parameter.assign(values(count, 0.5...1.5))
            case .normShift: parameter.assign(values(count, -0.3...0.3))
            default: break
            }
        }
        for (path, buffer) in model.namedBuffers() {
            if path.hasSuffix("running_mean") { buffer.tensor = values(buffer.tensor.shape.elementCount, -0.5...0.5) }
            if path.hasSuffix("running_var") { buffer.tensor = values(buffer.tensor.shape.elementCount, 0.3...2.0) }
        }
    }

    func evaluationLogits(_ model: ResNet, _ images: Variable) -> [Float] {
        model.setTraining(false)
        return plainScalars(withoutGradients { model(images).value })
    }

    /// Largest |difference| over the largest |expected|: a scale-free closeness for logits.
    func relativeError(_ actual: [Float], _ expected: [Float]) -> Double {
        let scale = expected.map { abs(Double($0)) }.max() ?? 1
        return zip(actual, expected).map { abs(Double($0) - Double($1)) }.max()! / max(scale, 1e-6)
    }

    @Test(arguments: ["resnet18", "resnet26", "resnet50c", "resnet50d"])
    func foldedNetworkMatchesTheModelInFloat32(id: String) throws {
        let model = makeModel(id, classes: 10) { $0.widthMultiplier = 0.25 }
        randomizeNormalizations(model, seed: 3)
        let images = randomImages(count: 3, channels: 3, size: 32, seed: 4)
        let expected = evaluationLogits(model, images)
        let folded = try InferenceResNet(model)
        let logits = folded(images.value)
        #expect(logits.shape == [3, 10] && logits.dtype == .float32)
        #expect(relativeError(plainScalars(logits), expected) < 1e-4)
        #expect(plainScalars(folded(images.value)) == plainScalars(logits), "a second pass on prepared weights")
    }

    @Test func smallImageStemWithGreyInputAndZeroGammaFolds() throws {
        let model = makeModel("resnet18", classes: 10, inputChannels: 1) {
            $0.stem = .smallImage
            $0.widthMultiplier = 0.25
            $0.zeroInitialResidualScale = true
            $0.dropPathRate = 0.2
        }
        let images = randomImages(count: 2, channels: 1, size: 28, seed: 5)
        let expected = evaluationLogits(model, images)
        #expect(relativeError(plainScalars(try InferenceResNet(model)(images.value)), expected) < 1e-4)
    }

    @Test(.enabled(if: CPUBackend.hasBFloat16Kernels, "oneDNN 2.6 has bfloat16 kernels only on AVX-512 CPUs"))
    func bfloat16FoldedNetworkStaysCloseToTheFloat32Model() throws {
        let model = makeModel("resnet50d", classes: 10) { $0.widthMultiplier = 0.25 }
        randomizeNormalizations(model, seed: 6)
        let images = randomImages(count: 2, channels: 3, size: 32, seed: 7)
        let expected = evaluationLogits(model, images)
        let logits = try InferenceResNet(model, dtype: .bfloat16)(images.value)
        #expect(logits.dtype == .float32)
        #expect(relativeError(plainScalars(logits), expected) < 0.05)
    }

    @Test func groupNormalizationCannotFold() {
        let model = makeModel("resnet18", classes: 10) {
            $0.widthMultiplier = 0.25
            $0.normalization = .group(groups: 4)
        }
        #expect(throws: InferenceResNet.FoldingError.self) { try InferenceResNet(model) }
    }
}
