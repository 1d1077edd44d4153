import Autodiff
import TensorCore
import Testing
import TestSupport

/// Distillation's pieces: the divergence KL(softmax(teacher / T) ‖ softmax(student / T)) and the weighted sum of losses.
@Suite struct DistillationLossGradientTests {
    @Test(arguments: [Float(1), 2.5, 0.5])
    func divergenceMatchesFiniteDifferences(temperature: Float) {
        _ = testBackend
        let z = ReferenceTensor.random(shape: [5, 7], seed: 600, range: -3...3)
        let teacher = ReferenceTensor.random(shape: [5, 7], seed: 601, range: -4...4)
        let logits = parameter(z)
        let loss = kullbackLeiblerDivergence(logits: logits, teacherLogits: teacher.tensor(), temperature: temperature)
        #expect(loss.shape == [])
        let expected = Reference.kullbackLeiblerDivergence(logits: z, teacherLogits: teacher,
                                                           temperature: Double(temperature))
        expectClose(Double(loss.value.scalars[0]), expected, tolerance: .gradient, "loss")
        LossGradientTests.backpropagate(loss)
        expectGradient(of: logits, at: z) {
            LossGradientTests.seed * Reference.kullbackLeiblerDivergence(logits: $0, teacherLogits: teacher,
                                                                          temperature: Double(temperature))
        }
    }

    /// A student that agrees with its teacher up to a per-row shift has nothing left to learn from it.
    @Test func divergenceIsZeroWhenTheStudentMatchesTheTeacher() {
        _ = testBackend
        let teacher = ReferenceTensor.random(shape: [3, 6], seed: 610, range: -2...2)
        var shifted = teacher
        for row in 0..<3 {
            for column in 0..<6 { shifted[row, column] += Double(row) * 1.5 }
        }
        let logits = parameter(shifted)
        let loss = kullbackLeiblerDivergence(logits: logits, teacherLogits: teacher.tensor(), temperature: 2)
        #expect(abs(loss.value.scalars[0]) < 1e-6)
        loss.backward()
        let gradient = plainValues(logits.gradient!)
        #expect(gradient.values.allSatisfy { abs($0) < 1e-6 })
    }

    /// Logits in the hundreds neither overflow nor lose the divergence.
    @Test func divergenceIsStableForLargeLogits() {
        _ = testBackend
        let z = ReferenceTensor(shape: [2, 4], values: [300, -200, 0.5, 299, -100, 100, 30, -30])
        let teacher = ReferenceTensor(shape: [2, 4], values: [250, 251, -300, 0, 80, 100, 99, -10])
        let logits = parameter(z)
        let loss = kullbackLeiblerDivergence(logits: logits, teacherLogits: teacher.tensor(), temperature: 1)
        let expected = Reference.kullbackLeiblerDivergence(logits: z, teacherLogits: teacher, temperature: 1)
        #expect(loss.value.scalars[0].isFinite)
        expectClose(Double(loss.value.scalars[0]), expected, tolerance: .gradient, "loss")
        LossGradientTests.backpropagate(loss)
        expectGradient(of: logits, at: z) {
            LossGradientTests.seed * Reference.kullbackLeiblerDivergence(logits: $0, teacherLogits: teacher, temperature: 1)
        }
    }

    /// (1 − α)·cross-entropy + α·T²·KL through one set of logits: both terms' gradients reach them, each weighted.
    @Test func weightedSumOfLossesMatchesFiniteDifferences() {
        _ = testBackend
        let z = ReferenceTensor.random(shape: [4, 6], seed: 620, range: -3...3)
        let teacher = ReferenceTensor.random(shape: [4, 6], seed: 621, range: -3...3)
        let labels = [5, 0, 2, 2]
        let (hardWeight, softWeight) = (0.3, 0.7 * 4.0)
        func reference(_ logits: ReferenceTensor) -> Double {
            hardWeight * Reference.softmaxCrossEntropy(logits: logits, labels: labels, labelSmoothing: 0.1)
                + softWeight * Reference.kullbackLeiblerDivergence(logits: logits, teacherLogits: teacher, temperature: 2)
        }
        let logits = parameter(z)
        let hard = softmaxCrossEntropy(logits: logits, labels: labels.map(Int32.init), labelSmoothing: 0.1)
        let soft = kullbackLeiblerDivergence(logits: logits, teacherLogits: teacher.tensor(), temperature: 2)
        let loss = weightedSum([hard, soft], weights: [Float(hardWeight), Float(softWeight)])
        #expect(loss.shape == [])
        expectClose(Double(loss.value.scalars[0]), reference(z), tolerance: .gradient, "loss")
        LossGradientTests.backpropagate(loss)
        expectGradient(of: logits, at: z) { LossGradientTests.seed * reference($0) }
    }

    /// A term that needs no gradient (a constant) is added to the value and gets no gradient of its own.
    @Test func weightedSumSkipsTermsWithoutGradients() {
        _ = testBackend
        let z = ReferenceTensor.random(shape: [2, 3], seed: 630, range: -1...1)
        let logits = parameter(z)
        let constant = Variable(Tensor(shape: [], scalars: [2.5]))
        let loss = weightedSum([softmaxCrossEntropy(logits: logits, labels: [0, 2]), constant], weights: [2, -1])
        let expected = 2 * Reference.softmaxCrossEntropy(logits: z, labels: [0, 2]) - 2.5
        expectClose(Double(loss.value.scalars[0]), expected, tolerance: .gradient, "loss")
        loss.backward()
        #expect(constant.gradient == nil)
        expectGradient(of: logits, at: z) { 2 * Reference.softmaxCrossEntropy(logits: $0, labels: [0, 2]) }
    }
}
