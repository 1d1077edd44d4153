extension Reference {
    /// The sum of every element; 0 for an empty tensor.
    ///
    /// Gradient checks turn a tensor-valued op into a scalar with `sum(op(x) · cotangent)`.
    public static func sum(_ input: ReferenceTensor) -> Double {
        input.values.reduce(0, +)
    }

    /// The mean of every element.
    public static func mean(_ input: ReferenceTensor) -> Double {
        precondition(input.elementCount > 0, "mean of an empty tensor")
        return sum(input) / Double(input.elementCount)
    }

    /// `Σ left · right` over matching elements: the scalar a gradient check differentiates.
    ///
    /// Shapes: both the same. With `right` a fixed random cotangent, the gradient of
    /// `dot(op(x), cotangent)` with respect to `x` is the op's pullback of that cotangent.
    public static func dot(_ left: ReferenceTensor, _ right: ReferenceTensor) -> Double {
        precondition(left.shape == right.shape, "dot of \(left.shape) and \(right.shape)")
        return zip(left.values, right.values).reduce(0) { $0 + $1.0 * $1.1 }
    }
}
