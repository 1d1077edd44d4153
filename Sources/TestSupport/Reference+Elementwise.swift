extension Reference {
    /// `max(x, 0)` element by element; shape unchanged.
    ///
    /// NaN stays NaN, as in PyTorch's `torch.relu`.
    public static func relu(_ input: ReferenceTensor) -> ReferenceTensor {
        input.map { $0.isNaN ? $0 : max($0, 0) }
    }

    /// The element-by-element sum of two tensors of the same shape (no broadcasting).
    ///
    /// The residual connection of every ResNet block.
    public static func add(_ left: ReferenceTensor, _ right: ReferenceTensor) -> ReferenceTensor {
        precondition(left.shape == right.shape, "add of \(left.shape) and \(right.shape)")
        return ReferenceTensor(shape: left.shape, values: zip(left.values, right.values).map { $0 + $1 })
    }

    /// Each sample scaled by its own factor: `output[n, ...] = input[n, ...] · scale[n]`.
    ///
    /// Shapes: `input` [N, ...], `scale` [N]. Stochastic depth (drop path) multiplies each
    /// residual branch by 0 or 1 / keep-probability per sample this way.
    public static func multiplyPerSample(_ input: ReferenceTensor, scale: ReferenceTensor) -> ReferenceTensor {
        precondition(input.rank >= 1 && scale.shape == [input.shape[0]],
                     "per-sample scale \(scale.shape) for input \(input.shape)")
        let sampleSize = input.elementCount / max(input.shape[0], 1)
        var output = input
        for index in output.values.indices {
            output.values[index] *= scale.values[index / sampleSize]
        }
        return output
    }

    /// Inverted dropout with a given keep mask: `output = input · mask / (1 − probability)`.
    ///
    /// Shapes: `input` and `mask` the same; `mask` holds 1 where an element is kept and 0
    /// where it is dropped, and `probability` is the drop probability in [0, 1). The mask is
    /// an argument so a test can hand the kernel's own mask to the reference.
    public static func dropout(_ input: ReferenceTensor, mask: ReferenceTensor, probability: Double) -> ReferenceTensor {
        precondition(input.shape == mask.shape, "dropout mask \(mask.shape) for input \(input.shape)")
        precondition(probability >= 0 && probability < 1, "dropout probability \(probability) outside [0, 1)")
        let keepScale = 1 / (1 - probability)
        return ReferenceTensor(shape: input.shape, values: zip(input.values, mask.values).map { $0 * $1 * keepScale })
    }
}
