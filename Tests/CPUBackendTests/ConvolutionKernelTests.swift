import CPUBackend
import TensorCore
import Testing
import TestSupport

/// oneDNN's convolution forward, backward-data and backward-weights (with bias) against the Float64 reference.
///
/// Each kernel runs in float32 and in bfloat16 over every `ConvolutionCase`; the
/// backward references are the exact adjoint sums of `ConvolutionAdjoint`, which
/// `convolutionAdjointMatchesFiniteDifferences` checks against finite differences of
/// `Reference.conv2d`.
@Suite struct ConvolutionKernelTests {
    @Test(arguments: ConvolutionCase.all, Precision.available)
    func convolutionForwardMatchesReference(convolution: ConvolutionCase, precision: Precision) {
        let backend = testBackend
        let input = precision.rounded(convolution.input)
        let weight = precision.rounded(convolution.weight)
        let output = backend.convolutionForward(input: precision.tensor(input), weight: precision.tensor(weight),
                                                bias: convolution.bias?.tensor(), geometry: convolution.geometry)
        #expect(output.shape.dimensions == convolution.outputShape)
        #expect(output.dtype == precision.dtype)
        let expected = Reference.conv2d(input: input, weight: weight, bias: convolution.bias,
                                        geometry: convolution.geometry)
        expectClose(plainValues(output), expected, tolerance: precision.tolerance)
    }

    @Test(arguments: ConvolutionCase.all, Precision.available)
    func convolutionBackwardDataMatchesReference(convolution: ConvolutionCase, precision: Precision) {
        let backend = testBackend
        let weight = precision.rounded(convolution.weight)
        let cotangent = precision.rounded(convolution.cotangent)
        let gradient = backend.convolutionBackwardData(gradientOfOutput: precision.tensor(cotangent),
                                                       weight: precision.tensor(weight),
                                                       inputShape: Shape(convolution.inputShape),
                                                       geometry: convolution.geometry)
        #expect(gradient.dtype == precision.dtype)
        let expected = ConvolutionAdjoint.gradients(input: convolution.input, weight: weight, cotangent: cotangent,
                                                    geometry: convolution.geometry)
        expectClose(plainValues(gradient), expected.input, tolerance: precision.tolerance)
    }

    @Test(arguments: ConvolutionCase.all, Precision.available)
    func convolutionBackwardWeightsMatchesReference(convolution: ConvolutionCase, precision: Precision) throws {
        let backend = testBackend
        let input = precision.rounded(convolution.input)
        let cotangent = precision.rounded(convolution.cotangent)
        let gradients = backend.convolutionBackwardWeights(
            input: precision.tensor(input), gradientOfOutput: precision.tensor(cotangent),
            weightShape: Shape(convolution.weightShape), geometry: convolution.geometry,
            includeBias: convolution.hasBias, gradientType: precision.dtype)
        #expect(gradients.weight.dtype == precision.dtype && gradients.weight.format.isPlain)
        let expected = ConvolutionAdjoint.gradients(input: input, weight: convolution.weight, cotangent: cotangent,
                                                    geometry: convolution.geometry)
        expectClose(ReferenceTensor(gradients.weight), expected.weight, tolerance: precision.tolerance, "weight")
        if convolution.hasBias {
            let bias = try #require(gradients.bias)
            #expect(bias.dtype == .float32)
            expectClose(ReferenceTensor(bias), expected.bias, tolerance: precision.tolerance, "bias")
        } else {
            #expect(gradients.bias == nil)
        }
    }

    /// Mixed precision: bfloat16 activations, float32 master weights get float32 gradients.
    ///
    /// Tolerance: the products of bfloat16 inputs are exact in float32 and summed in float32,
    /// with no rounding to bfloat16 at the end, so the float32 bound applies.
    @Test(.enabled(if: CPUBackend.hasBFloat16Kernels, "oneDNN 2.6 has bfloat16 kernels only on AVX-512 CPUs"),
          arguments: ConvolutionCase.all)
    func convolutionBackwardWeightsFromBFloat16GivesFloat32Gradients(convolution: ConvolutionCase) throws {
        let backend = testBackend
        let input = Precision.bfloat16.rounded(convolution.input)
        let cotangent = Precision.bfloat16.rounded(convolution.cotangent)
        let gradients = backend.convolutionBackwardWeights(
            input: input.tensor(dtype: .bfloat16), gradientOfOutput: cotangent.tensor(dtype: .bfloat16),
            weightShape: Shape(convolution.weightShape), geometry: convolution.geometry,
            includeBias: convolution.hasBias, gradientType: .float32)
        #expect(gradients.weight.dtype == .float32)
        let expected = ConvolutionAdjoint.gradients(input: input, weight: convolution.weight, cotangent: cotangent,
                                                    geometry: convolution.geometry)
        expectClose(ReferenceTensor(gradients.weight), expected.weight, tolerance: Precision.float32.tolerance, "weight")
        if convolution.hasBias {
            expectClose(ReferenceTensor(try #require(gradients.bias)), expected.bias,
                        tolerance: Precision.float32.tolerance, "bias")
        }
    }

    /// The adjoint the backward tests trust, against central differences of `Reference.conv2d` at sampled indices.
    @Test(arguments: ConvolutionCase.all)
    func convolutionAdjointMatchesFiniteDifferences(convolution: ConvolutionCase) {
        let (input, weight, bias, cotangent) = (convolution.input, convolution.weight, convolution.bias,
                                                convolution.cotangent)
        let geometry = convolution.geometry
        let adjoint = ConvolutionAdjoint.gradients(input: input, weight: weight, cotangent: cotangent, geometry: geometry)
        let inputProbes = FiniteDifferences.gradient(at: input, probing: 12, seed: 1) {
            Reference.dot(Reference.conv2d(input: $0, weight: weight, bias: bias, geometry: geometry), cotangent)
        }
        let weightProbes = FiniteDifferences.gradient(at: weight, probing: 12, seed: 2) {
            Reference.dot(Reference.conv2d(input: input, weight: $0, bias: bias, geometry: geometry), cotangent)
        }
        expectClose(adjoint.input.values, inputProbes, tolerance: .finiteDifferences, "input")
        expectClose(adjoint.weight.values, weightProbes, tolerance: .finiteDifferences, "weight")
        if let bias {
            let biasProbes = FiniteDifferences.gradient(at: bias, probing: 4, seed: 3) {
                Reference.dot(Reference.conv2d(input: input, weight: weight, bias: $0, geometry: geometry), cotangent)
            }
            expectClose(adjoint.bias.values, biasProbes, tolerance: .finiteDifferences, "bias")
        }
    }

    /// A second convolution reads the first one's blocked output directly, as between two layers.
    @Test(arguments: Precision.available)
    func convolutionOfABlockedActivationMatchesReference(precision: Precision) {
        let backend = testBackend
        let geometry = ConvolutionGeometry(padding: 1)
        let input = precision.rounded(.random(shape: [2, 16, 5, 7], seed: 200))
        let firstWeight = precision.rounded(.random(shape: [16, 16, 3, 3], seed: 201, range: -0.25...0.25))
        let secondWeight = precision.rounded(.random(shape: [8, 16, 3, 3], seed: 202, range: -0.25...0.25))
        let hidden = backend.convolutionForward(input: precision.tensor(input), weight: precision.tensor(firstWeight),
                                                bias: nil, geometry: geometry)
        #expect(!hidden.format.isPlain, "a 16-channel activation should stay in a blocked layout")
        let output = backend.convolutionForward(input: hidden, weight: precision.tensor(secondWeight), bias: nil,
                                                geometry: geometry)
        let expected = Reference.conv2d(input: plainValues(hidden), weight: secondWeight, geometry: geometry)
        expectClose(plainValues(output), expected, tolerance: precision.tolerance)
    }
}
