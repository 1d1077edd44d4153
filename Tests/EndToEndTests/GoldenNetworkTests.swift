import Autodiff
import CPUBackend
import Foundation
import Interop
import Layers
import TensorCore
import Testing

/// One training step of a small ResNet-style network against PyTorch's float64 results on the same weights.
///
/// The fixture (`Fixtures/end_to_end.safetensors`, written by
/// `scripts/golden/make_end_to_end_fixture.py`) holds the weights, input, labels,
/// and PyTorch's logits, loss, parameter gradients and updated running statistics.
/// Relative error is max |hone − torch| / max |torch| per tensor.
@Suite struct GoldenNetworkTests {
    static let backend: CPUBackend = {
        let backend = CPUBackend(threads: 2)
        Compute.use(backend)
        return backend
    }()

    let fixture: SafeTensors
    let tolerance = 1e-4

    init() throws {
        _ = Self.backend
        let url = try #require(Bundle.module.url(forResource: "end_to_end", withExtension: "safetensors",
                                                 subdirectory: "Fixtures"))
        fixture = try SafeTensors(contentsOf: url)
    }

    func loadedNetwork() throws -> GoldenNetwork {
        let network = GoldenNetwork()
        let report = try StateDictionary.load(fixture, into: network, source: "end_to_end.safetensors")
        #expect(report.missing.isEmpty, "missing: \(report.missing)")
        return network
    }

    func relativeError(_ actual: Tensor, _ expected: Tensor) -> Double {
        let actualValues = Compute.backend.reorder(actual, to: .plain).scalars
        let expectedValues = expected.scalars
        let scale = expectedValues.map { abs(Double($0)) }.max() ?? 0
        let worst = zip(actualValues, expectedValues).map { abs(Double($0) - Double($1)) }.max() ?? 0
        return worst / max(scale, 1e-12)
    }

    func labels() throws -> [Int32] {
        try #require(fixture.integers(named: "labels")).map { Int32($0) }
    }

    @Test func trainingStepMatchesPyTorch() throws {
        let network = try loadedNetwork()
        let input = try #require(fixture["input"])
        let logits = network(Variable(input))
        let loss = softmaxCrossEntropy(logits: logits, labels: try labels(), labelSmoothing: 0.1)
        loss.backward()

        #expect(relativeError(logits.value, try #require(fixture["expected.logits"])) <= tolerance)
        #expect(relativeError(loss.value.reshaped([1]), try #require(fixture["expected.loss"])) <= tolerance)
        let parameters = network.namedParameters()
        #expect(parameters.count == 20)
        for (path, parameter) in parameters {
            let gradient = try #require(parameter.gradient, "\(path) got no gradient")
            let expected = try #require(fixture["expected.grad.\(path)"], "fixture lacks the gradient of \(path)")
            let error = relativeError(gradient, expected)
            #expect(error <= tolerance, "gradient of \(path): relative error \(error)")
        }
        for (path, buffer) in network.namedBuffers() {
            switch buffer.value {
            case .tensor(let tensor):
                let expected = try #require(fixture["expected.running.\(path)"])
                let error = relativeError(tensor, expected)
                #expect(error <= tolerance, "\(path) after the step: relative error \(error)")
            case .count(let count):
                #expect([count] == fixture.integers(named: "expected.running.\(path)"), "\(path)")
            }
        }
    }

    @Test func evaluationModeMatchesPyTorch() throws {
        let network = try loadedNetwork()
        network.setTraining(false)
        let logits = withoutGradients { network(Variable(try! #require(fixture["input"]))) }
        #expect(!logits.requiresGradient)
        #expect(relativeError(logits.value, try #require(fixture["expected.eval_logits"])) <= tolerance)
    }

    @Test func stateDictionaryRoundTripsThroughSafeTensors() throws {
        let network = try loadedNetwork()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hone-golden-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("weights.safetensors")
        try StateDictionary.export(network).write(to: url)
        let reloaded = GoldenNetwork()
        let report = try StateDictionary.load(try SafeTensors(contentsOf: url), into: reloaded, source: url.path)
        #expect(report == StateDictionary.LoadReport(missing: [], unexpected: []))
        for ((path, original), (_, copy)) in zip(network.namedParameters(), reloaded.namedParameters()) {
            #expect(original.value.scalars == copy.value.scalars, "\(path)")
        }
    }
}
