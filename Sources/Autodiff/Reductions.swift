import TensorCore

/// The sum of all elements, as a scalar.
public func sum(_ input: Variable) -> Variable {
    let total = plainScalars(input.value).reduce(0.0) { $0 + Double($1) }
    let shape = input.shape
    let dtype = input.dtype
    return Variable.result(Tensor(shape: [], scalars: [Float(total)]), inputs: [input]) { gradient in
        [Tensor(repeating: gradient.scalars[0], shape: shape, dtype: dtype)]
    }
}

/// The mean of all elements, as a scalar.
public func mean(_ input: Variable) -> Variable {
    let count = input.shape.elementCount
    let total = plainScalars(input.value).reduce(0.0) { $0 + Double($1) }
    let shape = input.shape
    let dtype = input.dtype
    return Variable.result(Tensor(shape: [], scalars: [Float(total / Double(count))]), inputs: [input]) { gradient in
        [Tensor(repeating: gradient.scalars[0] / Float(count), shape: shape, dtype: dtype)]
    }
}
