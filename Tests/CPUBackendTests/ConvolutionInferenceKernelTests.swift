import CPUBackend
import TensorCore
import Testing
import TestSupport

/// oneDNN's inference convolution with fused ReLU and residual-add post-ops against the Float64 reference.
@Suite struct ConvolutionInferenceKernelTests {
    /// Which epilogue a case runs.
    enum Fusion: String, CaseIterable, Sendable {
        case none, relu, add, addThenReLU
    }

    @Test(arguments: ConvolutionCase.all, Precision.available)
    func fusedEpiloguesMatchConvolutionThenAddThenReLU(convolution: ConvolutionCase, precision: Precision) {
        let backend = testBackend
        let input = precision.rounded(convolution.input)
        let weight = precision.rounded(convolution.weight)
        let residual = precision.rounded(.random(shape: convolution.outputShape, seed: convolution.seed + 7))
        let convolved = Reference.conv2d(input: input, weight: weight, bias: convolution.bias,
                                         geometry: convolution.geometry)
        for fusion in Fusion.allCases {
            let epilogue: ConvolutionEpilogue = switch fusion {
            case .none: .none
            case .relu: .relu
            case .add: .add(residual: precision.tensor(residual))
            case .addThenReLU: .addThenReLU(residual: precision.tensor(residual))
            }
            let output = backend.convolutionInference(input: precision.tensor(input), weight: precision.tensor(weight),
                                                      bias: convolution.bias?.tensor(), geometry: convolution.geometry,
                                                      epilogue: epilogue)
            #expect(output.shape.dimensions == convolution.outputShape && output.dtype == precision.dtype)
            var expected = convolved
            if fusion == .add || fusion == .addThenReLU { expected = Reference.add(expected, residual) }
            if fusion == .relu || fusion == .addThenReLU { expected = Reference.relu(expected) }
            expectClose(plainValues(output), expected, tolerance: precision.tolerance, "\(fusion.rawValue)")
        }
    }

    /// With `overwritingIt`, a residual already in the output's layout receives the result in its own storage.
    @Test(arguments: ConvolutionCase.all, Precision.available)
    func overwritingTheResidualAccumulatesInPlace(convolution: ConvolutionCase, precision: Precision) {
        let backend = testBackend
        let input = precision.tensor(convolution.input)
        let weight = precision.tensor(convolution.weight)
        let bias = convolution.bias?.tensor()
        let residualValues = precision.rounded(.random(shape: convolution.outputShape, seed: convolution.seed + 9))
        let copied = backend.convolutionInference(input: input, weight: weight, bias: bias,
                                                  geometry: convolution.geometry,
                                                  epilogue: .addThenReLU(residual: precision.tensor(residualValues)))
        let residual = backend.reorder(precision.tensor(residualValues), to: copied.format)
        let inPlace = backend.convolutionInference(input: input, weight: weight, bias: bias,
                                                   geometry: convolution.geometry,
                                                   epilogue: .addThenReLU(residual: residual, overwritingIt: true))
        #expect(inPlace.storage === residual.storage)
        #expect(plainValues(inPlace) == plainValues(copied))
    }

    @Test(arguments: ConvolutionCase.all, Precision.available)
    func preparedWeightsGiveTheSameOutput(convolution: ConvolutionCase, precision: Precision) {
        let backend = testBackend
        let input = precision.tensor(convolution.input)
        let weight = convolution.weight.tensor()
        let bias = convolution.bias?.tensor()
        let prepared = backend.preparedInferenceWeight(weight, inputShape: input.shape, hasBias: bias != nil,
                                                       geometry: convolution.geometry, dtype: precision.dtype)
        #expect(prepared.dtype == precision.dtype && prepared.shape == weight.shape)
        let direct = backend.convolutionInference(input: input, weight: backend.convert(weight, to: precision.dtype),
                                                  bias: bias, geometry: convolution.geometry, epilogue: .relu)
        let fromPrepared = backend.convolutionInference(input: input, weight: prepared, bias: bias,
                                                        geometry: convolution.geometry, epilogue: .relu)
        #expect(plainValues(direct) == plainValues(fromPrepared))
    }
}
