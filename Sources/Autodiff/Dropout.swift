import TensorCore

/// Inverted dropout: each element zeroed with `probability`, the rest scaled by 1 / (1 − probability).
///
/// The mask is drawn per stored element, so it works in any layout without a
/// reorder; the pullback applies the same mask to the gradient (reordered to the
/// input's layout first).
public func dropout(_ input: Variable, probability: Float,
                    using generator: inout some RandomNumberGenerator) -> Variable {
    precondition((0..<1).contains(probability), "dropout probability must be in [0, 1)")
    guard probability > 0 else { return input }
    let keep = 1 / (1 - probability)
    let count = input.value.byteCount / input.dtype.byteCount
    var mask = [Float](repeating: 0, count: count)
    for index in 0..<count where Float.random(in: 0..<1, using: &generator) >= probability {
        mask[index] = keep
    }
    let output = maskedCopy(input.value, mask: mask)
    let format = input.value.format
    return Variable.result(output, inputs: [input]) { gradient in
        [maskedCopy(Compute.backend.reorder(gradient, to: format), mask: mask)]
    }
}

/// `tensor` times `mask`, element by stored element.
func maskedCopy(_ tensor: Tensor, mask: [Float]) -> Tensor {
    let result = Tensor(shape: tensor.shape, dtype: tensor.dtype, format: tensor.format,
                        storage: TensorStorage(byteCount: tensor.storage.byteCount))
    switch tensor.dtype {
    case .float32:
        let source = tensor.storage.buffer(as: Float.self, count: mask.count)
        let destination = result.storage.buffer(as: Float.self, count: mask.count)
        for index in mask.indices { destination[index] = source[index] * mask[index] }
    case .bfloat16:
        let source = tensor.storage.buffer(as: UInt16.self, count: mask.count)
        let destination = result.storage.buffer(as: UInt16.self, count: mask.count)
        for index in mask.indices {
            destination[index] = BFloat16.bits(from: BFloat16.float(from: source[index]) * mask[index])
        }
    }
    return result
}
