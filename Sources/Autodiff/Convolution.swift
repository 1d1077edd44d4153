import TensorCore

/// A 2-D convolution of an NCHW input with an OIHW weight and an optional [O] bias.
///
/// The pullback runs backward-data only when the input needs a gradient (never
/// for the input image) and backward-weights only when the weight or bias does
/// (never for frozen layers). Weight gradients come back in the weight's own type,
/// so float32 master weights get float32 gradients from a bfloat16 convolution.
/// The pullback keeps the input only when backward-weights will read it and the
/// weight only when backward-data will.
public func conv2d(_ input: Variable, weight: Variable, bias: Variable? = nil,
                   geometry: ConvolutionGeometry = ConvolutionGeometry()) -> Variable {
    let backend = Compute.backend
    let output = backend.convolutionForward(input: input.value, weight: weight.value, bias: bias?.value,
                                            geometry: geometry)
    let inputs = [input, weight] + (bias.map { [$0] } ?? [])
    let inputShape = input.shape
    let weightShape = weight.shape
    let weightType = weight.dtype
    let weightNeedsGradient = weight.requiresGradient
    let biasNeedsGradient = bias?.requiresGradient ?? false
    let hasBias = bias != nil
    let savedWeight = input.requiresGradient ? weight.value : nil
    let savedInput = weightNeedsGradient || biasNeedsGradient ? input.value : nil
    return Variable.result(output, inputs: inputs) { gradient in
        let inputGradient = savedWeight.map {
            backend.convolutionBackwardData(gradientOfOutput: gradient, weight: $0, inputShape: inputShape,
                                            geometry: geometry)
        }
        var weightGradient: Tensor?
        var biasGradient: Tensor?
        if let savedInput {
            let gradients = backend.convolutionBackwardWeights(
                input: savedInput, gradientOfOutput: gradient, weightShape: weightShape, geometry: geometry,
                includeBias: biasNeedsGradient, gradientType: weightType)
            weightGradient = weightNeedsGradient ? gradients.weight : nil
            biasGradient = gradients.bias
        }
        return [inputGradient, weightGradient] + (hasBias ? [biasGradient] : [])
    }
}
