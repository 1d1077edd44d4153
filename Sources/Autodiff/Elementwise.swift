import TensorCore

/// max(x, 0), element by element, in the input's layout.
public func relu(_ input: Variable) -> Variable {
    let backend = Compute.backend
    let output = backend.reluForward(input.value)
    return Variable.result(output, inputs: [input]) { gradient in
        [backend.reluBackward(gradientOfOutput: gradient, output: output)]
    }
}

/// `lhs + rhs` for equal shapes (the residual connection).
public func + (lhs: Variable, rhs: Variable) -> Variable {
    let backend = Compute.backend
    let output = backend.add(lhs.value, rhs.value)
    let (lhsNeedsGradient, rhsNeedsGradient) = (lhs.requiresGradient, rhs.requiresGradient)
    return Variable.result(output, inputs: [lhs, rhs]) { gradient in
        [lhsNeedsGradient ? gradient : nil, rhsNeedsGradient ? gradient : nil]
    }
}

/// max(lhs + rhs, 0) in one pass: the end of a residual block.
///
/// The backward pass needs only the output (ReLU's mask is output > 0), then both
/// operands receive the masked gradient, as `relu(lhs + rhs)` would give them;
/// neither operand is kept for backward.
public func addThenReLU(_ lhs: Variable, _ rhs: Variable) -> Variable {
    let backend = Compute.backend
    let output = backend.addThenReLU(lhs.value, rhs.value)
    let (lhsNeedsGradient, rhsNeedsGradient) = (lhs.requiresGradient, rhs.requiresGradient)
    return Variable.result(output, inputs: [lhs, rhs]) { gradient in
        let masked = backend.reluBackward(gradientOfOutput: gradient, output: output)
        return [lhsNeedsGradient ? masked : nil, rhsNeedsGradient ? masked : nil]
    }
}

/// `input * factor`.
public func * (input: Variable, factor: Float) -> Variable {
    let backend = Compute.backend
    let output = backend.scale(input.value, by: factor)
    return Variable.result(output, inputs: [input]) { gradient in
        [backend.scale(gradient, by: factor)]
    }
}

/// Each sample scaled by its own constant: `input[n, ...] * scale[n]` (stochastic depth's keep/drop).
///
/// Shapes: input [N, ...]; scale float32 [N], not differentiated.
public func multiply(_ input: Variable, perSampleScale scale: Tensor) -> Variable {
    let backend = Compute.backend
    let output = backend.multiply(input.value, perSampleScale: scale)
    return Variable.result(output, inputs: [input]) { gradient in
        [backend.multiply(gradient, perSampleScale: scale)]
    }
}

/// The same values with another element type; gradients convert back (mixed precision's cast).
public func convert(_ input: Variable, to dtype: DType) -> Variable {
    guard input.dtype != dtype else { return input }
    let backend = Compute.backend
    let sourceType = input.dtype
    let output = backend.convert(input.value, to: dtype)
    return Variable.result(output, inputs: [input]) { gradient in
        [backend.convert(gradient, to: sourceType)]
    }
}
