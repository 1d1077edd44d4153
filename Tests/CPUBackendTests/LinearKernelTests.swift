import CPUBackend
import TensorCore
import Testing
import TestSupport

/// oneDNN's inner product (the classifier head) forward, backward-data and backward-weights with bias.
///
/// The backward references are central differences of `Reference.dot(Reference.linear(...), cotangent)`.
@Suite struct LinearKernelTests {
    /// One input batch and layer size.
    struct Case: Sendable, CustomTestStringConvertible {
        let batch: Int
        let inputFeatures: Int
        let outputFeatures: Int
        let hasBias: Bool
        let seed: UInt64

        var testDescription: String { "[\(batch), \(inputFeatures)] → \(outputFeatures)\(hasBias ? " with bias" : "")" }
        var input: ReferenceTensor { .random(shape: [batch, inputFeatures], seed: seed) }
        var weight: ReferenceTensor { .random(shape: [outputFeatures, inputFeatures], seed: seed + 1, range: -0.5...0.5) }
        var bias: ReferenceTensor? { hasBias ? .random(shape: [outputFeatures], seed: seed + 2) : nil }
        var cotangent: ReferenceTensor { .random(shape: [batch, outputFeatures], seed: seed + 3) }

        static let all = [Case(batch: 5, inputFeatures: 7, outputFeatures: 3, hasBias: true, seed: 600),
                          Case(batch: 4, inputFeatures: 33, outputFeatures: 10, hasBias: false, seed: 610),
                          Case(batch: 3, inputFeatures: 64, outputFeatures: 17, hasBias: true, seed: 620)]
    }

    @Test(arguments: Case.all, Precision.available)
    func linearForwardMatchesReference(layer: Case, precision: Precision) {
        let input = precision.rounded(layer.input)
        let weight = precision.rounded(layer.weight)
        let output = testBackend.linearForward(input: precision.tensor(input), weight: precision.tensor(weight),
                                               bias: layer.bias?.tensor())
        #expect(output.shape == [layer.batch, layer.outputFeatures] && output.dtype == precision.dtype)
        expectClose(plainValues(output), Reference.linear(input: input, weight: weight, bias: layer.bias),
                    tolerance: precision.tolerance)
    }

    @Test(arguments: Case.all, Precision.available)
    func linearBackwardDataMatchesReference(layer: Case, precision: Precision) {
        let input = precision.rounded(layer.input)
        let weight = precision.rounded(layer.weight)
        let cotangent = precision.rounded(layer.cotangent)
        let gradient = testBackend.linearBackwardData(gradientOfOutput: precision.tensor(cotangent),
                                                      weight: precision.tensor(weight))
        #expect(gradient.shape == [layer.batch, layer.inputFeatures] && gradient.dtype == precision.dtype)
        let expected = FiniteDifferences.gradient(at: input) {
            Reference.dot(Reference.linear(input: $0, weight: weight, bias: layer.bias), cotangent)
        }
        expectClose(plainValues(gradient), expected, tolerance: precision.tolerance)
    }

    /// float32, bfloat16, and bfloat16 data with float32 gradients (mixed precision's master weights).
    @Test(arguments: Case.all, [(Precision.float32, DType.float32), (.bfloat16, .bfloat16), (.bfloat16, .float32)]
        .filter { $0.0 == .float32 || CPUBackend.hasBFloat16Kernels })
    func linearBackwardWeightsMatchesReference(layer: Case, types: (Precision, DType)) throws {
        let (precision, gradientType) = types
        let input = precision.rounded(layer.input)
        let weight = layer.weight
        let cotangent = precision.rounded(layer.cotangent)
        let gradients = testBackend.linearBackwardWeights(input: precision.tensor(input),
                                                          gradientOfOutput: precision.tensor(cotangent),
                                                          weightShape: [layer.outputFeatures, layer.inputFeatures],
                                                          includeBias: layer.hasBias, gradientType: gradientType)
        #expect(gradients.weight.dtype == gradientType && gradients.weight.format.isPlain)
        let expected = FiniteDifferences.gradient(at: weight) {
            Reference.dot(Reference.linear(input: input, weight: $0, bias: layer.bias), cotangent)
        }
        // A float32 gradient of bfloat16 inputs is an exact-product float32 sum: the float32 bound.
        let tolerance = gradientType == .float32 ? Precision.float32.tolerance : precision.tolerance
        expectClose(ReferenceTensor(gradients.weight), expected, tolerance: tolerance, "weight")
        if let bias = layer.bias {
            let expectedBias = FiniteDifferences.gradient(at: bias) {
                Reference.dot(Reference.linear(input: input, weight: weight, bias: $0), cotangent)
            }
            expectClose(ReferenceTensor(try #require(gradients.bias)), expectedBias, tolerance: tolerance, "bias")
        } else {
            #expect(gradients.bias == nil)
        }
    }
}
