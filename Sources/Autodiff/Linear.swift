import TensorCore

/// A fully connected layer: `input · weightᵀ + bias`.
///
/// Shapes: input [N, in], weight [out, in], bias [out] → [N, out].
public func linear(_ input: Variable, weight: Variable, bias: Variable? = nil) -> Variable {
    let backend = Compute.backend
    let output = backend.linearForward(input: input.value, weight: weight.value, bias: bias?.value)
    let inputs = [input, weight] + (bias.map { [$0] } ?? [])
    return Variable.result(output, inputs: inputs) { gradient in
        let inputGradient = input.requiresGradient
            ? backend.linearBackwardData(gradientOfOutput: gradient, weight: weight.value) : nil
        var weightGradient: Tensor?
        var biasGradient: Tensor?
        let biasNeedsGradient = bias?.requiresGradient ?? false
        if weight.requiresGradient || biasNeedsGradient {
            let gradients = backend.linearBackwardWeights(input: input.value, gradientOfOutput: gradient,
                                                          weightShape: weight.shape, includeBias: biasNeedsGradient,
                                                          gradientType: weight.dtype)
            weightGradient = weight.requiresGradient ? gradients.weight : nil
            biasGradient = gradients.bias
        }
        return [inputGradient, weightGradient] + (bias == nil ? [] : [biasGradient])
    }
}
