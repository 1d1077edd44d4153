import Autodiff
import TensorCore
import Testing
import TestSupport

/// A ResNet basic block end to end — conv, batch norm + ReLU, conv, batch norm, projection shortcut, add, ReLU.
///
/// Every activation stays in oneDNN's blocked layout and the shortcut joins the main
/// path through `+`; the gradients of the input and of every parameter are checked
/// against central differences of the same block built from `Reference` ops.
@Suite struct ResidualBlockGradientTests {
    @Test func basicBlockGradientsMatchFiniteDifferences() {
        _ = testBackend
        let epsilon = 1e-5
        let (same, down) = (ConvolutionGeometry(padding: 1), ConvolutionGeometry(stride: 2, padding: 1))
        let projection = ConvolutionGeometry(stride: 2)
        let x = ReferenceTensor.random(shape: [2, 8, 7, 6], seed: 1000)
        let w1 = ReferenceTensor.random(shape: [16, 8, 3, 3], seed: 1001, range: -0.3...0.3)
        let w2 = ReferenceTensor.random(shape: [16, 16, 3, 3], seed: 1002, range: -0.2...0.2)
        let ws = ReferenceTensor.random(shape: [16, 8, 1, 1], seed: 1003, range: -0.5...0.5)
        let gamma = ReferenceTensor.random(shape: [16], seed: 1004, range: 0.5...1.5)
        let beta = ReferenceTensor.random(shape: [16], seed: 1005, range: -0.5...0.5)
        let (input, first, second, shortcut) = (parameter(x), parameter(w1), parameter(w2), parameter(ws))
        let (scale, shift) = (parameter(gamma), parameter(beta))
        let ones = Variable(Tensor(repeating: 1, shape: [16]))
        let zeros = Variable(Tensor(zeros: [16]))

        let hidden = batchNormTraining(conv2d(input, weight: first, geometry: down), scale: scale, shift: shift,
                                       epsilon: Float(epsilon), fuseReLU: true).output
        let main = batchNormTraining(conv2d(hidden, weight: second, geometry: same), scale: ones, shift: zeros,
                                     epsilon: Float(epsilon)).output
        let output = relu(main + conv2d(input, weight: shortcut, geometry: projection))
        let cotangent = backpropagateRandomCotangent(from: output, seed: 1006)

        func block(_ x: ReferenceTensor, _ w1: ReferenceTensor, _ w2: ReferenceTensor, _ ws: ReferenceTensor,
                   _ gamma: ReferenceTensor, _ beta: ReferenceTensor) -> Double {
            let hidden = Reference.relu(Reference.batchNormTraining(
                input: Reference.conv2d(input: x, weight: w1, geometry: down), scale: gamma, shift: beta,
                epsilon: epsilon).output)
            let main = Reference.batchNormTraining(input: Reference.conv2d(input: hidden, weight: w2, geometry: same),
                                                   scale: nil, shift: nil, epsilon: epsilon).output
            let sum = Reference.add(main, Reference.conv2d(input: x, weight: ws, geometry: projection))
            return Reference.dot(Reference.relu(sum), cotangent)
        }
        expectGradient(of: input, at: x, probes: 48, "input") { block($0, w1, w2, ws, gamma, beta) }
        expectGradient(of: first, at: w1, probes: 48, "first weight") { block(x, $0, w2, ws, gamma, beta) }
        expectGradient(of: second, at: w2, probes: 48, "second weight") { block(x, w1, $0, ws, gamma, beta) }
        expectGradient(of: shortcut, at: ws, probes: 48, "shortcut weight") { block(x, w1, w2, $0, gamma, beta) }
        expectGradient(of: scale, at: gamma, "scale") { block(x, w1, w2, ws, $0, beta) }
        expectGradient(of: shift, at: beta, "shift") { block(x, w1, w2, ws, gamma, $0) }
    }
}
