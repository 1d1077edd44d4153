import TensorCore

/// Σᵢ weightᵢ·termᵢ of scalar variables: several losses blended into one objective.
///
/// Shapes: each term is a scalar (shape []); so is the result. Computed on the host in
/// Float64 rather than by the backend's element-wise kernels, which work on tensors of
/// rank 1 and up; each term's gradient is its weight times the incoming one.
public func weightedSum(_ terms: [Variable], weights: [Float]) -> Variable {
    precondition(!terms.isEmpty && terms.count == weights.count, "\(terms.count) terms for \(weights.count) weights")
    precondition(terms.allSatisfy { $0.shape.rank == 0 }, "weightedSum needs scalars, got \(terms.map(\.shape))")
    var total = 0.0
    for (term, weight) in zip(terms, weights) { total += Double(weight) * Double(term.value.scalars[0]) }
    let needsGradient = terms.map(\.requiresGradient)
    let types = terms.map(\.dtype)
    return Variable.result(Tensor(shape: [], scalars: [Float(total)]), inputs: terms) { gradient in
        let incoming = gradient.scalars[0]
        return weights.indices.map { index in
            needsGradient[index] ? Tensor(shape: [], scalars: [incoming * weights[index]], dtype: types[index]) : nil
        }
    }
}
