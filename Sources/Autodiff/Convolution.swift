import TensorCore

/// A 2-D convolution of an NCHW input with an OIHW weight and an optional [O] bias.
///
/// The pullback runs backward-data only when the input needs a gradient (never
/// for the input image) and backward-weights only when the weight or bias does
/// (never for frozen layers). Weight gradients come back in the weight's own type,
/// so float32 master weights get float32 gradients from a bfloat16 convolution.
public func conv2d(_ input: Variable, weight: Variable, bias: Variable? = nil,
                   geometry: ConvolutionGeometry = ConvolutionGeometry()) -> Variable {
    let backend = Compute.backend
    let output = backend.convolutionForward(input: input.value, weight: weight.value, bias: bias?.value,
                                            geometry: geometry)
    let inputs = [input, weight] + (bias.map { [$0] } ?? [])
    return Variable.result(output, inputs: inputs) { gradient in
        var inputGradient: Tensor?
        if input.requiresGradient {
            inputGradient = backend.convolutionBackwardData(gradientOfOutput: gradient, weight: weight.value,
                                                            inputShape: input.shape, geometry: geometry)
        }
        var weightGradient: Tensor?
        var biasGradient: Tensor?
        let biasNeedsGradient = bias?.requiresGradient ?? false
        if weight.requiresGradient || biasNeedsGradient {
            let gradients = backend.convolutionBackwardWeights(
                input: input.value, gradientOfOutput: gradient, weightShape: weight.shape, geometry: geometry,
                includeBias: biasNeedsGradient, gradientType: weight.dtype)
            weightGradient = weight.requiresGradient ? gradients.weight : nil
            biasGradient = gradients.bias
        }
        return [inputGradient, weightGradient] + (bias == nil ? [] : [biasGradient])
    }
}
