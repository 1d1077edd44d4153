import Autodiff
import CPUBackend
import Foundation
import Interop
import TensorCore
import Testing

/// Hone's losses and their gradients against PyTorch's float64 results (`Fixtures/losses.safetensors`).
@Suite struct LossFixtureTests {
    let fixture: SafeTensors
    let logits: Tensor
    let labels: [Int32]

    init() throws {
        _ = GoldenNetworkTests.backend
        let url = try #require(Bundle.module.url(forResource: "losses", withExtension: "safetensors",
                                                 subdirectory: "Fixtures"))
        fixture = try SafeTensors(contentsOf: url)
        logits = try #require(fixture["logits"])
        labels = try #require(fixture.integers(named: "labels")).map { Int32($0) }
    }

    func check(_ name: String, _ loss: (Variable) -> Variable) throws {
        let input = Variable(logits, requiresGradient: true)
        let value = loss(input)
        value.backward()
        let expectedLoss = try #require(fixture[name]).scalars[0]
        let expectedGradient = try #require(fixture["\(name).grad"]).scalars
        #expect(abs(value.value.scalars[0] - expectedLoss) <= 1e-5 * max(1, abs(expectedLoss)), "\(name)")
        let gradient = try #require(input.gradient).scalars
        let worst = zip(gradient, expectedGradient).map { abs($0 - $1) }.max() ?? 0
        #expect(worst <= 1e-6, "\(name) gradient: worst difference \(worst)")
    }

    @Test func crossEntropyWithHardLabelsMatchesPyTorch() throws {
        try check("ce.hard") { softmaxCrossEntropy(logits: $0, labels: labels) }
    }

    @Test func labelSmoothingMatchesPyTorch() throws {
        try check("ce.smooth0.1") { softmaxCrossEntropy(logits: $0, labels: labels, labelSmoothing: 0.1) }
    }

    @Test func softTargetCrossEntropyMatchesPyTorch() throws {
        let targets = try #require(fixture["targets.soft"])
        try check("ce.soft") { softmaxCrossEntropy(logits: $0, targets: targets) }
    }

    @Test func binaryCrossEntropyWithSoftTargetsMatchesPyTorch() throws {
        let targets = try #require(fixture["targets.soft"])
        try check("bce.soft") { binaryCrossEntropyWithLogits(logits: $0, targets: targets) }
    }

    @Test func binaryCrossEntropyWithOneHotTargetsMatchesPyTorch() throws {
        let targets = try #require(fixture["targets.onehot"])
        try check("bce.hard") { binaryCrossEntropyWithLogits(logits: $0, targets: targets) }
    }
}
