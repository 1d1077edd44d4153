import TensorCore
import Testing
import TestSupport

/// One convolution shape a kernel test runs: input and weight shapes, geometry, bias, and seeded data.
///
/// The cases cover what a ResNet meets (3×3 same-padding, stride-2 downsampling, 1×1
/// projections, the 7×7 stride-2 stem) and what breaks index arithmetic (odd sizes such
/// as 7×9, dilation 2, groups 2, depthwise, anisotropic stride and padding).
struct ConvolutionCase: Sendable, CustomTestStringConvertible {
    let name: String
    let inputShape: [Int]
    let weightShape: [Int]
    let geometry: ConvolutionGeometry
    let hasBias: Bool
    let seed: UInt64

    var testDescription: String { name }

    var input: ReferenceTensor { .random(shape: inputShape, seed: seed) }
    var weight: ReferenceTensor { .random(shape: weightShape, seed: seed + 1, range: -0.5...0.5) }
    var bias: ReferenceTensor? { hasBias ? .random(shape: [weightShape[0]], seed: seed + 2) : nil }
    var outputShape: [Int] { geometry.outputShape(input: Shape(inputShape), weight: Shape(weightShape)).dimensions }
    var cotangent: ReferenceTensor { .random(shape: outputShape, seed: seed + 3) }

    static let all: [ConvolutionCase] = [
        ConvolutionCase(name: "3x3 padding 1 on 7x9", inputShape: [2, 4, 7, 9], weightShape: [6, 4, 3, 3],
                        geometry: ConvolutionGeometry(padding: 1), hasBias: true, seed: 10),
        ConvolutionCase(name: "3x3 stride 2 padding 1 on 9x7", inputShape: [2, 4, 9, 7], weightShape: [5, 4, 3, 3],
                        geometry: ConvolutionGeometry(stride: 2, padding: 1), hasBias: false, seed: 20),
        ConvolutionCase(name: "3x3 dilation 2 padding 2", inputShape: [1, 3, 9, 11], weightShape: [4, 3, 3, 3],
                        geometry: ConvolutionGeometry(padding: 2, dilation: 2), hasBias: true, seed: 30),
        ConvolutionCase(name: "groups 2", inputShape: [2, 4, 7, 7], weightShape: [6, 2, 3, 3],
                        geometry: ConvolutionGeometry(padding: 1, groups: 2), hasBias: true, seed: 40),
        ConvolutionCase(name: "depthwise stride 2", inputShape: [2, 6, 7, 9], weightShape: [6, 1, 3, 3],
                        geometry: ConvolutionGeometry(stride: 2, padding: 1, groups: 6), hasBias: false, seed: 50),
        ConvolutionCase(name: "1x1", inputShape: [2, 8, 5, 7], weightShape: [16, 8, 1, 1],
                        geometry: ConvolutionGeometry(), hasBias: true, seed: 60),
        ConvolutionCase(name: "1x1 stride 2 shortcut", inputShape: [2, 8, 7, 9], weightShape: [4, 8, 1, 1],
                        geometry: ConvolutionGeometry(stride: 2), hasBias: false, seed: 70),
        ConvolutionCase(name: "7x7 stride 2 stem", inputShape: [1, 3, 19, 17], weightShape: [8, 3, 7, 7],
                        geometry: ConvolutionGeometry(stride: 2, padding: 3), hasBias: false, seed: 80),
        ConvolutionCase(name: "5x3 anisotropic stride and padding", inputShape: [1, 3, 8, 9], weightShape: [4, 3, 5, 3],
                        geometry: ConvolutionGeometry(stride: (1, 2), padding: (2, 0)), hasBias: true, seed: 90),
        ConvolutionCase(name: "3x3 on 16 channels (blocked)", inputShape: [2, 16, 6, 5], weightShape: [16, 16, 3, 3],
                        geometry: ConvolutionGeometry(padding: 1), hasBias: true, seed: 100),
        ConvolutionCase(name: "3x3 stride 2 dilation 2 padding 2", inputShape: [2, 3, 11, 10], weightShape: [5, 3, 3, 3],
                        geometry: ConvolutionGeometry(stride: 2, padding: 2, dilation: 2), hasBias: false, seed: 120),
        ConvolutionCase(name: "1x1 with padding 1 (border is bias only)", inputShape: [1, 4, 5, 6],
                        weightShape: [3, 4, 1, 1], geometry: ConvolutionGeometry(padding: 1), hasBias: true, seed: 130),
        ConvolutionCase(name: "3x3 stride 2, 16 to 20 channels (padded blocks)", inputShape: [2, 16, 7, 6],
                        weightShape: [20, 16, 3, 3], geometry: ConvolutionGeometry(stride: 2, padding: 1),
                        hasBias: true, seed: 110),
        // The shapes whose bf16 weight gradient the backend computes from f32 copies (oneDNN 2.6 is slow there).
        ConvolutionCase(name: "3x3 padding 1 on a 2x2 map", inputShape: [3, 16, 2, 2], weightShape: [16, 16, 3, 3],
                        geometry: ConvolutionGeometry(padding: 1), hasBias: true, seed: 140),
        ConvolutionCase(name: "3x3 stride 2 from 8x8 to 4x4", inputShape: [2, 16, 8, 8], weightShape: [32, 16, 3, 3],
                        geometry: ConvolutionGeometry(stride: 2, padding: 1), hasBias: false, seed: 150),
    ]
}
