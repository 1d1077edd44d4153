import TensorCore

/// A dense row-major array of `Double`s: the value every reference op reads and returns.
///
/// `shape` is outermost first (NCHW, OIHW, NC) exactly as `TensorCore.Shape`; `values`
/// holds `shape.product` elements in row-major order. A scalar has shape `[]` and one value.
///
/// The reference side computes in Float64 so that its own rounding is far below the
/// float32 tolerances the kernels are held to, and finite differences stay accurate.
/// It is a plain value type with no storage tricks, so a test can read it element by
/// element and a failure points at a place a person can check by hand.
public struct ReferenceTensor: Hashable, Sendable, CustomStringConvertible {
    /// The dimensions, outermost first.
    public let shape: [Int]
    /// The elements in row-major order.
    public var values: [Double]

    /// A tensor holding `values` under `shape`.
    public init(shape: [Int], values: [Double]) {
        precondition(shape.allSatisfy { $0 >= 0 }, "negative dimension in \(shape)")
        precondition(values.count == shape.reduce(1, *),
                     "\(values.count) values do not fill shape \(shape)")
        self.shape = shape
        self.values = values
    }

    /// A tensor of zeros.
    public init(zeros shape: [Int]) {
        self.init(repeating: 0, shape: shape)
    }

    /// A tensor with every element equal to `value`.
    public init(repeating value: Double, shape: [Int]) {
        self.init(shape: shape, values: [Double](repeating: value, count: shape.reduce(1, *)))
    }

    /// A one-element tensor of shape `[]`.
    public init(scalar: Double) {
        self.init(shape: [], values: [scalar])
    }

    /// The elements of a plain `Tensor`, widened exactly from float32 or bfloat16.
    public init(_ tensor: Tensor) {
        self.init(shape: tensor.shape.dimensions, values: tensor.scalars.map(Double.init))
    }

    /// This tensor rounded to a plain `Tensor` of `dtype` (float32 unless stated).
    public func tensor(dtype: DType = .float32) -> Tensor {
        Tensor(shape: Shape(shape), scalars: values.map(Float.init), dtype: dtype)
    }

    /// The elements rounded to `Float`, row-major.
    public var floats: [Float] { values.map(Float.init) }

    /// The number of dimensions.
    public var rank: Int { shape.count }

    /// The number of elements: the product of the dimensions.
    public var elementCount: Int { values.count }

    /// Row-major strides in elements: how far one step along each axis moves in `values`.
    public var strides: [Int] {
        var strides = [Int](repeating: 1, count: rank)
        var running = 1
        for axis in stride(from: rank - 1, through: 0, by: -1) {
            strides[axis] = running
            running *= shape[axis]
        }
        return strides
    }

    /// The position in `values` of the element at `indices` (one index per axis, each in range).
    public func flatIndex(_ indices: [Int]) -> Int {
        precondition(indices.count == rank, "\(indices.count) indices for a rank-\(rank) tensor")
        var flat = 0
        for axis in 0..<rank {
            precondition(indices[axis] >= 0 && indices[axis] < shape[axis],
                         "index \(indices[axis]) out of range 0..<\(shape[axis]) on axis \(axis)")
            flat = flat * shape[axis] + indices[axis]
        }
        return flat
    }

    /// The indices, one per axis, of the element at position `flatIndex` in `values`.
    public func indices(ofFlatIndex flatIndex: Int) -> [Int] {
        precondition(flatIndex >= 0 && flatIndex < elementCount, "flat index \(flatIndex) out of range")
        var remainder = flatIndex
        var indices = [Int](repeating: 0, count: rank)
        for axis in stride(from: rank - 1, through: 0, by: -1) {
            indices[axis] = remainder % shape[axis]
            remainder /= shape[axis]
        }
        return indices
    }

    /// The element at `indices`, one index per axis: `tensor[n, c, h, w]`.
    public subscript(indices: Int...) -> Double {
        get { values[flatIndex(indices)] }
        set { values[flatIndex(indices)] = newValue }
    }

    /// The element at `indices`, one index per axis, given as an array.
    public subscript(indices indices: [Int]) -> Double {
        get { values[flatIndex(indices)] }
        set { values[flatIndex(indices)] = newValue }
    }

    /// The same elements under `newShape`, which must have the same element count.
    public func reshaped(_ newShape: [Int]) -> ReferenceTensor {
        precondition(newShape.reduce(1, *) == elementCount, "cannot reshape \(shape) to \(newShape)")
        return ReferenceTensor(shape: newShape, values: values)
    }

    /// A tensor of the same shape with `transform` applied to every element.
    public func map(_ transform: (Double) -> Double) -> ReferenceTensor {
        ReferenceTensor(shape: shape, values: values.map(transform))
    }

    public var description: String {
        "ReferenceTensor(\(shape), \(elementCount) values)"
    }
}
