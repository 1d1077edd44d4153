extension Reference {
    /// A fully connected layer, PyTorch's `F.linear`: `output = input · weightᵀ + bias`.
    ///
    /// Shapes: `input` [N, I], `weight` [O, I] (PyTorch's layout, not transposed), `bias` [O]
    /// or nil; the result is [N, O].
    public static func linear(input: ReferenceTensor, weight: ReferenceTensor,
                              bias: ReferenceTensor? = nil) -> ReferenceTensor {
        precondition(input.rank == 2 && weight.rank == 2 && input.shape[1] == weight.shape[1],
                     "linear of input \(input.shape) with weight \(weight.shape)")
        let (batch, inputFeatures, outputFeatures) = (input.shape[0], input.shape[1], weight.shape[0])
        if let bias { precondition(bias.shape == [outputFeatures], "bias \(bias.shape) for \(outputFeatures) outputs") }
        var output = ReferenceTensor(zeros: [batch, outputFeatures])
        for sample in 0..<batch {
            for outputFeature in 0..<outputFeatures {
                var total = bias?.values[outputFeature] ?? 0
                for inputFeature in 0..<inputFeatures {
                    total += input.values[sample * inputFeatures + inputFeature]
                        * weight.values[outputFeature * inputFeatures + inputFeature]
                }
                output.values[sample * outputFeatures + outputFeature] = total
            }
        }
        return output
    }

    /// Every dimension after the first folded into one: [N, ...] → [N, product of the rest].
    ///
    /// PyTorch's `torch.flatten(x, 1)`; row-major order makes it a pure reshape.
    public static func flatten(_ input: ReferenceTensor) -> ReferenceTensor {
        precondition(input.rank >= 1, "flatten of a scalar")
        return input.reshaped([input.shape[0], input.shape.dropFirst().reduce(1, *)])
    }
}
