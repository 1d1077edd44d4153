import Autodiff
import TensorCore
import Testing
import TestSupport

/// The losses (softmax cross-entropy on labels and on soft targets, binary cross-entropy with logits): values and gradients.
@Suite struct LossGradientTests {
    /// A scalar seed other than one, so a pullback that ignores its incoming gradient fails.
    static let seed: Double = 1.75

    static func backpropagate(_ loss: Variable) {
        loss.backward(seed: Tensor(shape: [], scalars: [Float(seed)]))
    }

    @Test(arguments: [Float(0), 0.1])
    func softmaxCrossEntropyOnLabelsMatchesFiniteDifferences(labelSmoothing: Float) {
        _ = testBackend
        let z = ReferenceTensor.random(shape: [5, 7], seed: 500, range: -3...3)
        let labels = [3, 0, 6, 2, 3]
        let logits = parameter(z)
        let loss = softmaxCrossEntropy(logits: logits, labels: labels.map(Int32.init), labelSmoothing: labelSmoothing)
        #expect(loss.shape == [])
        let expected = Reference.softmaxCrossEntropy(logits: z, labels: labels, labelSmoothing: Double(labelSmoothing))
        expectClose(Double(loss.value.scalars[0]), expected, tolerance: .gradient, "loss")
        Self.backpropagate(loss)
        expectGradient(of: logits, at: z) {
            Self.seed * Reference.softmaxCrossEntropy(logits: $0, labels: labels, labelSmoothing: Double(labelSmoothing))
        }
    }

    /// Mixup/CutMix targets: rows of class probabilities.
    @Test func softmaxCrossEntropyOnSoftTargetsMatchesFiniteDifferences() {
        _ = testBackend
        let z = ReferenceTensor.random(shape: [4, 6], seed: 510, range: -3...3)
        var targets = ReferenceTensor.random(shape: [4, 6], seed: 511, range: 0...1)
        for row in 0..<4 {
            let total = (0..<6).reduce(0.0) { $0 + targets[row, $1] }
            for column in 0..<6 { targets[row, column] /= total }
        }
        let logits = parameter(z)
        let loss = softmaxCrossEntropy(logits: logits, targets: targets.tensor())
        let expected = Reference.softmaxCrossEntropy(logits: z, targets: targets)
        expectClose(Double(loss.value.scalars[0]), expected, tolerance: .gradient, "loss")
        Self.backpropagate(loss)
        expectGradient(of: logits, at: z) { Self.seed * Reference.softmaxCrossEntropy(logits: $0, targets: targets) }
    }

    @Test func binaryCrossEntropyWithLogitsMatchesFiniteDifferences() {
        _ = testBackend
        let z = ReferenceTensor.random(shape: [4, 7], seed: 520, range: -4...4)
        let targets = ReferenceTensor.random(shape: [4, 7], seed: 521, range: 0...1)
        let logits = parameter(z)
        let loss = binaryCrossEntropyWithLogits(logits: logits, targets: targets.tensor())
        let expected = Reference.binaryCrossEntropyWithLogits(logits: z, targets: targets)
        expectClose(Double(loss.value.scalars[0]), expected, tolerance: .gradient, "loss")
        Self.backpropagate(loss)
        expectGradient(of: logits, at: z) { Self.seed * Reference.binaryCrossEntropyWithLogits(logits: $0, targets: targets) }
    }

    /// Logits in the hundreds neither overflow nor lose the loss: values and gradients stay finite and correct.
    @Test func lossesAreStableForLargeLogits() {
        _ = testBackend
        let z = ReferenceTensor(shape: [2, 4], values: [300, -200, 0.5, 299, -100, 100, 30, -30])
        let labels = [1, 2]
        let targets = ReferenceTensor(shape: [2, 4], values: [1, 0, 0.5, 0.25, 0, 1, 1, 0])
        let softmaxLogits = parameter(z)
        let softmax = softmaxCrossEntropy(logits: softmaxLogits, labels: labels.map(Int32.init))
        expectClose(Double(softmax.value.scalars[0]), Reference.softmaxCrossEntropy(logits: z, labels: labels),
                    tolerance: .gradient, "softmax cross-entropy")
        Self.backpropagate(softmax)
        expectGradient(of: softmaxLogits, at: z, "softmax cross-entropy") {
            Self.seed * Reference.softmaxCrossEntropy(logits: $0, labels: labels)
        }
        let binaryLogits = parameter(z)
        let binary = binaryCrossEntropyWithLogits(logits: binaryLogits, targets: targets.tensor())
        expectClose(Double(binary.value.scalars[0]), Reference.binaryCrossEntropyWithLogits(logits: z, targets: targets),
                    tolerance: .gradient, "binary cross-entropy")
        Self.backpropagate(binary)
        expectGradient(of: binaryLogits, at: z, "binary cross-entropy") {
            Self.seed * Reference.binaryCrossEntropyWithLogits(logits: $0, targets: targets)
        }
    }

    /// `backward()` with no seed starts from a gradient of one, the usual case of a scalar loss.
    @Test func backwardWithoutSeedStartsFromOne() {
        _ = testBackend
        let z = ReferenceTensor.random(shape: [3, 4], seed: 530, range: -2...2)
        let labels = [1, 3, 0]
        let logits = parameter(z)
        softmaxCrossEntropy(logits: logits, labels: labels.map(Int32.init)).backward()
        expectGradient(of: logits, at: z) { Reference.softmaxCrossEntropy(logits: $0, labels: labels) }
    }

    /// The loss of logits computed by a linear layer: the gradient reaches its weight (the whole head trains).
    @Test func crossEntropyOfALinearLayerMatchesFiniteDifferences() {
        _ = testBackend
        let x = ReferenceTensor.random(shape: [4, 9], seed: 540)
        let w = ReferenceTensor.random(shape: [5, 9], seed: 541, range: -0.5...0.5)
        let labels = [4, 0, 2, 2]
        let weight = parameter(w)
        let loss = softmaxCrossEntropy(logits: linear(Variable(x.tensor()), weight: weight),
                                       labels: labels.map(Int32.init), labelSmoothing: 0.1)
        Self.backpropagate(loss)
        expectGradient(of: weight, at: w) {
            Self.seed * Reference.softmaxCrossEntropy(logits: Reference.linear(input: x, weight: $0), labels: labels,
                                                      labelSmoothing: 0.1)
        }
    }
}
