import Autodiff
import TensorCore
import Testing
import TestSupport

/// What the tape keeps alive: only the tensors a pullback reads, and those only until backward has run it.
///
/// Why it matters: holding every op input until backward ends kept a ResNet's
/// pre-add batch-norm outputs alive for the whole step, about a quarter more
/// activation memory than PyTorch saves.
@Suite struct TapeMemoryTests {
    /// A residual add's operands are not saved for backward, so dropping them frees their storage at once.
    @Test func operandsNoPullbackReadsAreFreedDuringForward() {
        _ = testBackend
        let input = parameter(ReferenceTensor.random(shape: [2, 3, 4, 4], seed: 760))
        weak var operandStorage: TensorStorage?
        let output: Variable = {
            let scaled = input * 2
            operandStorage = scaled.value.storage
            return addThenReLU(scaled, input)
        }()
        #expect(operandStorage == nil, "the add's operand outlived the forward pass")
        #expect(output.requiresGradient)
    }

    /// A batch norm without ReLU does not keep its own output for backward.
    @Test func batchNormOutputIsNotSavedForItsOwnBackward() {
        _ = testBackend
        let input = parameter(ReferenceTensor.random(shape: [2, 3, 4, 4], seed: 761))
        let scale = Variable(Tensor(repeating: 1, shape: [3]), requiresGradient: true)
        let shift = Variable(Tensor(repeating: 0, shape: [3]), requiresGradient: true)
        weak var normalizedStorage: TensorStorage?
        let output: Variable = {
            let normalized = batchNormTraining(input, scale: scale, shift: shift, epsilon: 1e-5).output
            normalizedStorage = normalized.value.storage
            return addThenReLU(normalized, input)
        }()
        #expect(normalizedStorage == nil, "the batch norm's output outlived the forward pass")
        output.backward(seed: Tensor(repeating: 1, shape: output.shape))
        #expect(scale.gradient != nil && input.gradient != nil)
    }

    /// What a pullback saved is freed once backward has run it, while the result is still held.
    @Test func savedActivationsAreFreedByBackward() {
        _ = testBackend
        let input = parameter(ReferenceTensor.random(shape: [2, 3, 4, 4], seed: 762))
        weak var savedStorage: TensorStorage?
        let output: Variable = {
            let activated = relu(input)
            savedStorage = activated.value.storage
            return activated * 3
        }()
        #expect(savedStorage != nil, "ReLU's pullback needs its output until backward")
        output.backward(seed: Tensor(repeating: 1, shape: output.shape))
        #expect(savedStorage == nil, "backward kept ReLU's output after running its pullback")
        #expect(input.gradient != nil)
    }

    /// With `retainingGraph` the saved tensors stay for another backward.
    @Test func retainingTheGraphKeepsSavedActivations() {
        _ = testBackend
        let input = parameter(ReferenceTensor.random(shape: [2, 3, 4, 4], seed: 763))
        weak var savedStorage: TensorStorage?
        let output: Variable = {
            let activated = relu(input)
            savedStorage = activated.value.storage
            return activated * 3
        }()
        output.backward(seed: Tensor(repeating: 1, shape: output.shape), retainingGraph: true)
        #expect(savedStorage != nil)
    }

    /// A second backward through released records stops the process with a message instead of wrong gradients.
    @Test func secondBackwardThroughAReleasedGraphStops() async {
        await #expect(processExitsWith: .failure) {
            _ = testBackend
            let input = Variable(Tensor(repeating: 1, shape: [2, 3]), requiresGradient: true)
            let output = relu(input) * 2
            output.backward(seed: Tensor(repeating: 1, shape: [2, 3]))
            output.backward(seed: Tensor(repeating: 1, shape: [2, 3]))
        }
    }
}
