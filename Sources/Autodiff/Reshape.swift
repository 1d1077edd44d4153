import TensorCore

/// The same elements under another shape with the same count; the result is plain.
///
/// A blocked input is reordered to plain first (its element order is only defined there).
public func reshape(_ input: Variable, to shape: Shape) -> Variable {
    let backend = Compute.backend
    let inputShape = input.shape
    let output = backend.reorder(input.value, to: .plain).reshaped(shape)
    return Variable.result(output, inputs: [input]) { gradient in
        [backend.reorder(gradient, to: .plain).reshaped(inputShape)]
    }
}

/// [N, d1, d2, ...] → [N, d1·d2·...], as `torch.flatten(x, 1)`.
public func flatten(_ input: Variable) -> Variable {
    let features = input.shape.dimensions.dropFirst().reduce(1, *)
    return reshape(input, to: [input.shape[0], features])
}
