import Testing
import TestSupport

/// The cross-entropy losses against PyTorch's values and autograd gradients.
struct LossReferenceTests {
    @Test func crossEntropyWithLabelSmoothingMatchesPyTorch() throws {
        let recorded = try ReferenceFixture.named("cross_entropy_label_smoothing")
        let loss = Reference.softmaxCrossEntropy(logits: try recorded.tensor("logits"),
                                                 labels: try recorded.integers("labels"),
                                                 labelSmoothing: try recorded.number("label_smoothing"))
        expectClose(loss, try recorded.scalar("loss"), tolerance: .float64)
    }

    @Test func crossEntropyWithSoftTargetsMatchesPyTorch() throws {
        let recorded = try ReferenceFixture.named("cross_entropy_soft_targets")
        let loss = Reference.softmaxCrossEntropy(logits: try recorded.tensor("logits"),
                                                 targets: try recorded.tensor("targets"))
        expectClose(loss, try recorded.scalar("loss"), tolerance: .float64)
    }

    @Test func binaryCrossEntropyWithLogitsMatchesPyTorch() throws {
        let recorded = try ReferenceFixture.named("binary_cross_entropy_with_logits")
        let loss = Reference.binaryCrossEntropyWithLogits(logits: try recorded.tensor("logits"),
                                                          targets: try recorded.tensor("targets"))
        expectClose(loss, try recorded.scalar("loss"), tolerance: .float64)
    }

    @Test func finiteDifferencesOfTheLossesMatchPyTorchAutograd() throws {
        let smoothed = try ReferenceFixture.named("cross_entropy_label_smoothing")
        let labels = try smoothed.integers("labels")
        let smoothing = try smoothed.number("label_smoothing")
        let smoothedGradient = FiniteDifferences.gradient(at: try smoothed.tensor("logits")) {
            Reference.softmaxCrossEntropy(logits: $0, labels: labels, labelSmoothing: smoothing)
        }
        expectClose(smoothedGradient, try smoothed.tensor("gradient"), tolerance: .finiteDifferences, "label smoothing")

        let soft = try ReferenceFixture.named("cross_entropy_soft_targets")
        let targets = try soft.tensor("targets")
        let softGradient = FiniteDifferences.gradient(at: try soft.tensor("logits")) {
            Reference.softmaxCrossEntropy(logits: $0, targets: targets)
        }
        expectClose(softGradient, try soft.tensor("gradient"), tolerance: .finiteDifferences, "soft targets")

        let binary = try ReferenceFixture.named("binary_cross_entropy_with_logits")
        let binaryTargets = try binary.tensor("targets")
        let binaryGradient = FiniteDifferences.gradient(at: try binary.tensor("logits")) {
            Reference.binaryCrossEntropyWithLogits(logits: $0, targets: binaryTargets)
        }
        expectClose(binaryGradient, try binary.tensor("gradient"), tolerance: .finiteDifferences, "binary")
    }

    @Test func fullLabelSmoothingIgnoresTheLabel() {
        let logits = ReferenceTensor(shape: [1, 3], values: [0.5, -1, 2])
        let first = Reference.softmaxCrossEntropy(logits: logits, labels: [0], labelSmoothing: 1)
        let second = Reference.softmaxCrossEntropy(logits: logits, labels: [2], labelSmoothing: 1)
        #expect(first == second)
    }

    @Test func binaryCrossEntropyStaysFiniteForHugeLogits() {
        let logits = ReferenceTensor(shape: [2], values: [800, -800])
        let loss = Reference.binaryCrossEntropyWithLogits(logits: logits, targets: ReferenceTensor(shape: [2], values: [0, 0]))
        expectClose(loss, 400, tolerance: .float64)
    }
}
