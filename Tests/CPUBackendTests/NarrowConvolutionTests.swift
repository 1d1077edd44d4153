import CNarrowConvolution
import TensorCore
import Testing
import TestSupport

@testable import CPUBackend

/// Hone's direct narrow-input (stem) convolutions against the Float64 reference, and when the backend uses them.
///
/// The kernels run on any CPU with AVX2 and FMA, so they are tested directly wherever
/// that holds. The cases reach what breaks their index arithmetic: widths that leave a
/// short last run of pixels (28 = 3 × 8 + 4, 9, 13), a one-row map (both neighbour rows
/// are padding), several input channels and several blocks of eight filters.
@Suite(.enabled(if: hone_narrow_convolution_is_supported() != 0, "the narrow-input kernels need AVX2 and FMA"))
struct NarrowConvolutionTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let inputShape: [Int]
        let filters: Int
        let seed: UInt64

        var testDescription: String { name }
        var weightShape: [Int] { [filters, inputShape[1], 3, 3] }
        var outputShape: [Int] { [inputShape[0], filters, inputShape[2], inputShape[3]] }
        var input: ReferenceTensor { .random(shape: inputShape, seed: seed) }
        var weight: ReferenceTensor { .random(shape: weightShape, seed: seed + 1, range: -0.5...0.5) }
        var bias: ReferenceTensor { .random(shape: [filters], seed: seed + 2) }
        var cotangent: ReferenceTensor { .random(shape: outputShape, seed: seed + 3) }

        static let all = [
            Case(name: "1 to 16 channels on 28x28", inputShape: [3, 1, 28, 28], filters: 16, seed: 400),
            Case(name: "3 to 8 channels on 7x9", inputShape: [2, 3, 7, 9], filters: 8, seed: 410),
            Case(name: "2 to 24 channels on 1x13", inputShape: [2, 2, 1, 13], filters: 24, seed: 420),
            Case(name: "4 to 16 channels on 5x5", inputShape: [2, 4, 5, 5], filters: 16, seed: 430),
        ]
    }

    static let geometry = ConvolutionGeometry(padding: 1)

    @Test(arguments: Case.all, [false, true])
    func forwardMatchesReference(convolution: Case, withBias: Bool) {
        let bias = withBias ? convolution.bias : nil
        let output = testBackend.narrowConvolutionForward(input: convolution.input.tensor(),
                                                          weight: convolution.weight.tensor(), bias: bias?.tensor())
        #expect(output.shape.dimensions == convolution.outputShape)
        let expected = Reference.conv2d(input: convolution.input, weight: convolution.weight, bias: bias,
                                        geometry: Self.geometry)
        expectClose(plainValues(output), expected, tolerance: Precision.float32.tolerance)
    }

    @Test(arguments: Case.all)
    func backwardWeightsMatchesReference(convolution: Case) {
        let gradient = testBackend.narrowConvolutionBackwardWeights(input: convolution.input.tensor(),
                                                                    gradientOfOutput: convolution.cotangent.tensor(),
                                                                    weightShape: Shape(convolution.weightShape))
        #expect(gradient.format.isPlain && gradient.dtype == .float32)
        let expected = ConvolutionAdjoint.gradients(input: convolution.input, weight: convolution.weight,
                                                    cotangent: convolution.cotangent, geometry: Self.geometry)
        expectClose(ReferenceTensor(gradient), expected.weight, tolerance: Precision.float32.tolerance)
    }

    /// Inference: the folded bias, then the ReLU, in the kernel's store.
    @Test(arguments: Case.all)
    func forwardAppliesBiasAndReLU(convolution: Case) {
        let output = testBackend.narrowConvolutionForward(input: convolution.input.tensor(),
                                                          weight: convolution.weight.tensor(),
                                                          bias: convolution.bias.tensor(), relu: true)
        let convolved = Reference.conv2d(input: convolution.input, weight: convolution.weight, bias: convolution.bias,
                                         geometry: Self.geometry)
        let expected = ReferenceTensor(shape: convolved.shape, values: convolved.values.map { max($0, 0) })
        expectClose(plainValues(output), expected, tolerance: Precision.float32.tolerance)
    }

    /// `auto` sends exactly the eligible convolutions to the kernels, and only where `usesHoneNarrowKernels` holds.
    @Test func automaticRoutesEligibleConvolutionsOnly() {
        let backend = CPUBackend(threads: 2, convolutionAlgorithm: .automatic)
        let direct = CPUBackend(threads: 2, convolutionAlgorithm: .direct)
        let input = ReferenceTensor.random(shape: [2, 1, 6, 6], seed: 440).tensor()
        let weight = ReferenceTensor.random(shape: [16, 1, 3, 3], seed: 441).tensor()
        let bias = ReferenceTensor.random(shape: [16], seed: 442).tensor()

        func narrowCalls(_ backend: CPUBackend, _ run: (CPUBackend) -> Void) -> Int {
            backend.startProfiling()
            run(backend)
            return backend.finishProfiling().entries.filter { $0.name.hasPrefix("narrow") }.reduce(0) { $0 + $1.calls }
        }
        let eligible = narrowCalls(backend) { backend in
            let output = backend.convolutionForward(input: input, weight: weight, bias: nil, geometry: Self.geometry)
            _ = backend.convolutionBackwardWeights(input: input, gradientOfOutput: output, weightShape: weight.shape,
                                                   geometry: Self.geometry, includeBias: false, gradientType: .float32)
            _ = backend.convolutionInference(input: input, weight: weight, bias: bias, geometry: Self.geometry,
                                             epilogue: .relu)
        }
        #expect(eligible == (CPUBackend.usesHoneNarrowKernels ? 3 : 0))
        let ineligible = narrowCalls(backend) { backend in
            _ = backend.convolutionForward(input: input, weight: weight, bias: nil,
                                           geometry: ConvolutionGeometry(stride: 2, padding: 1))
            let cotangent = ReferenceTensor.random(shape: [2, 16, 6, 6], seed: 443).tensor()
            _ = backend.convolutionBackwardWeights(input: input, gradientOfOutput: cotangent, weightShape: weight.shape,
                                                   geometry: Self.geometry, includeBias: true, gradientType: .float32)
            let wide = ReferenceTensor.random(shape: [2, 5, 6, 6], seed: 444).tensor()
            _ = backend.convolutionForward(input: wide, weight: ReferenceTensor.random(shape: [16, 5, 3, 3],
                                                                                        seed: 445).tensor(),
                                           bias: nil, geometry: Self.geometry)
        }
        #expect(ineligible == 0)
        let undirected = narrowCalls(direct) { backend in
            _ = backend.convolutionForward(input: input, weight: weight, bias: nil, geometry: Self.geometry)
        }
        #expect(undirected == 0)
    }
}
