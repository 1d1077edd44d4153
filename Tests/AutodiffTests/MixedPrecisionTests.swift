import Autodiff
import CPUBackend
import TensorCore
import Testing
import TestSupport

/// bfloat16 compute with float32 master weights: the gradients come back float32 and match the rounded reference.
@Suite(.enabled(if: CPUBackend.hasBFloat16Kernels, "oneDNN 2.6 has bfloat16 kernels only on AVX-512 CPUs"))
struct MixedPrecisionTests {
    /// Reference values as a bfloat16 kernel sees them.
    static func rounded(_ reference: ReferenceTensor) -> ReferenceTensor {
        ReferenceTensor(reference.tensor(dtype: .bfloat16))
    }

    /// A bfloat16 image into a convolution with float32 weight and bias: float32 weight and bias gradients.
    ///
    /// The kernel rounds the weight to bfloat16 for the forward pass, but the weight
    /// gradient (Σ cotangent · input) does not depend on the weight; it is summed in
    /// float32 from exact bfloat16 products, so the float32 gradient tolerance applies.
    @Test func convolutionOnBFloat16InputGivesFloat32WeightGradients() throws {
        _ = testBackend
        let geometry = ConvolutionGeometry(stride: 2, padding: 1)
        let x = Self.rounded(.random(shape: [2, 3, 9, 7], seed: 900))
        let w = ReferenceTensor.random(shape: [16, 3, 3, 3], seed: 901, range: -0.5...0.5)
        let b = ReferenceTensor.random(shape: [16], seed: 902)
        let (weight, bias) = (parameter(w), parameter(b))
        let image = convert(Variable(x.tensor()), to: .bfloat16)
        let output = conv2d(image, weight: weight, bias: bias, geometry: geometry)
        #expect(output.dtype == .bfloat16)
        expectClose(plainValues(output.value),
                    Reference.conv2d(input: x, weight: Self.rounded(w), bias: b, geometry: geometry),
                    tolerance: .bfloat16Gradient, "forward")
        let cotangent = backpropagateRandomCotangent(from: output, seed: 903)
        #expect(try #require(weight.gradient).dtype == .float32)
        #expect(try #require(bias.gradient).dtype == .float32)
        expectGradient(of: weight, at: w, probes: 64, "weight") {
            Reference.dot(Reference.conv2d(input: x, weight: $0, bias: b, geometry: geometry), cotangent)
        }
        expectGradient(of: bias, at: b, "bias") {
            Reference.dot(Reference.conv2d(input: x, weight: w, bias: $0, geometry: geometry), cotangent)
        }
    }

    /// A float32 activation that needs a gradient goes through a bfloat16 convolution and gets a float32 gradient.
    @Test func convertedActivationGetsAFloat32Gradient() throws {
        _ = testBackend
        let geometry = ConvolutionGeometry(padding: 1)
        let x = ReferenceTensor.random(shape: [2, 16, 5, 4], seed: 910)
        let w = Self.rounded(.random(shape: [8, 16, 3, 3], seed: 911, range: -0.3...0.3))
        let input = parameter(x)
        let output = conv2d(convert(input, to: .bfloat16), weight: parameter(w), geometry: geometry)
        let cotangent = backpropagateRandomCotangent(from: output, seed: 912)
        #expect(try #require(input.gradient).dtype == .float32)
        // Backward-data writes bfloat16, so the gradient carries one bfloat16 rounding.
        expectGradient(of: input, at: Self.rounded(x), probes: 64, tolerance: .bfloat16Gradient) {
            Reference.dot(Reference.conv2d(input: $0, weight: w, geometry: geometry), cotangent)
        }
    }

    /// The whole block in bfloat16 (weights converted too): master weights still get float32 gradients.
    @Test func bfloat16BlockGivesFloat32MasterGradients() throws {
        _ = testBackend
        let geometry = ConvolutionGeometry(padding: 1)
        let x = Self.rounded(.random(shape: [2, 4, 6, 5], seed: 920))
        let w = ReferenceTensor.random(shape: [16, 4, 3, 3], seed: 921, range: -0.5...0.5)
        let gamma = ReferenceTensor.random(shape: [16], seed: 922, range: 0.5...1.5)
        let beta = ReferenceTensor.random(shape: [16], seed: 923, range: -0.5...0.5)
        let (weight, scale, shift) = (parameter(w), parameter(gamma), parameter(beta))
        let convolved = conv2d(Variable(x.tensor(dtype: .bfloat16)), weight: convert(weight, to: .bfloat16),
                               geometry: geometry)
        let normalized = batchNormTraining(convolved, scale: scale, shift: shift, epsilon: 1e-5).output
        #expect(normalized.dtype == .bfloat16)
        backpropagateRandomCotangent(from: normalized, seed: 924)
        #expect(try #require(weight.gradient).dtype == .float32)
        #expect(try #require(scale.gradient).dtype == .float32)
        #expect(try #require(shift.gradient).dtype == .float32)
    }
}
