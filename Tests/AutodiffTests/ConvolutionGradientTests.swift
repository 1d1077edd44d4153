import Autodiff
import TensorCore
import Testing
import TestSupport

/// `conv2d`'s gradients for input, weight and bias against central differences of `Reference.conv2d`.
@Suite struct ConvolutionGradientTests {
    /// One convolution: shapes, geometry and whether it has a bias.
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let inputShape: [Int]
        let weightShape: [Int]
        let geometry: ConvolutionGeometry
        let hasBias: Bool

        var testDescription: String { name }

        static let all: [Case] = [
            Case(name: "3x3 padding 1 on 7x9 with bias", inputShape: [2, 3, 7, 9], weightShape: [4, 3, 3, 3],
                 geometry: ConvolutionGeometry(padding: 1), hasBias: true),
            Case(name: "3x3 stride 2 padding 1 on 9x7", inputShape: [2, 4, 9, 7], weightShape: [6, 4, 3, 3],
                 geometry: ConvolutionGeometry(stride: 2, padding: 1), hasBias: false),
            Case(name: "groups 2 dilation 2 with bias", inputShape: [1, 4, 9, 8], weightShape: [4, 2, 3, 3],
                 geometry: ConvolutionGeometry(padding: 2, dilation: 2, groups: 2), hasBias: true),
            Case(name: "depthwise stride 2", inputShape: [2, 4, 7, 7], weightShape: [4, 1, 3, 3],
                 geometry: ConvolutionGeometry(stride: 2, padding: 1, groups: 4), hasBias: false),
            Case(name: "1x1 stride 2 with bias", inputShape: [2, 8, 5, 7], weightShape: [16, 8, 1, 1],
                 geometry: ConvolutionGeometry(stride: 2), hasBias: true),
        ]
    }

    @Test(arguments: Case.all)
    func convolutionGradientsMatchFiniteDifferences(convolution: Case) {
        _ = testBackend
        let geometry = convolution.geometry
        let x = ReferenceTensor.random(shape: convolution.inputShape, seed: 1)
        let w = ReferenceTensor.random(shape: convolution.weightShape, seed: 2, range: -0.5...0.5)
        let b = convolution.hasBias ? ReferenceTensor.random(shape: [convolution.weightShape[0]], seed: 3) : nil
        let (input, weight, bias) = (parameter(x), parameter(w), b.map { parameter($0) })
        let output = conv2d(input, weight: weight, bias: bias, geometry: geometry)
        expectClose(plainValues(output.value), Reference.conv2d(input: x, weight: w, bias: b, geometry: geometry),
                    tolerance: .gradient, "forward")
        let cotangent = backpropagateRandomCotangent(from: output, seed: 4)
        expectGradient(of: input, at: x, probes: 96, "input") {
            Reference.dot(Reference.conv2d(input: $0, weight: w, bias: b, geometry: geometry), cotangent)
        }
        expectGradient(of: weight, at: w, probes: 96, "weight") {
            Reference.dot(Reference.conv2d(input: x, weight: $0, bias: b, geometry: geometry), cotangent)
        }
        if let b, let bias {
            expectGradient(of: bias, at: b, "bias") {
                Reference.dot(Reference.conv2d(input: x, weight: w, bias: $0, geometry: geometry), cotangent)
            }
        }
    }

    /// Two layers on 16 channels: the gradient crosses a blocked activation and a ReLU between them.
    @Test func stackedConvolutionsWithReLUMatchFiniteDifferences() {
        _ = testBackend
        let geometry = ConvolutionGeometry(padding: 1)
        let x = ReferenceTensor.random(shape: [2, 16, 5, 6], seed: 10)
        let w1 = ReferenceTensor.random(shape: [16, 16, 3, 3], seed: 11, range: -0.2...0.2)
        let w2 = ReferenceTensor.random(shape: [8, 16, 3, 3], seed: 12, range: -0.2...0.2)
        let (input, first, second) = (parameter(x), parameter(w1), parameter(w2))
        let hidden = relu(conv2d(input, weight: first, geometry: geometry))
        let output = conv2d(hidden, weight: second, geometry: geometry)
        let cotangent = backpropagateRandomCotangent(from: output, seed: 13)
        func objective(_ x: ReferenceTensor, _ w1: ReferenceTensor, _ w2: ReferenceTensor) -> Double {
            let hidden = Reference.relu(Reference.conv2d(input: x, weight: w1, geometry: geometry))
            return Reference.dot(Reference.conv2d(input: hidden, weight: w2, geometry: geometry), cotangent)
        }
        expectGradient(of: input, at: x, probes: 48, "input") { objective($0, w1, w2) }
        expectGradient(of: first, at: w1, probes: 48, "first weight") { objective(x, $0, w2) }
        expectGradient(of: second, at: w2, probes: 48, "second weight") { objective(x, w1, $0) }
    }
}
