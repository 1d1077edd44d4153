import TensorCore

/// A dense row-major array of 64-bit integers with a shape, as stored in a safetensors I64 (or I32) tensor.
///
/// Shapes: `values.count == shape.elementCount`; a scalar has shape `[]` and one
/// value. Why not a `Tensor`: Hone's tensors hold floats for computation, while
/// integer tensors in checkpoints are bookkeeping (`num_batches_tracked`) or
/// labels, read and written as they are.
public struct IntegerArray: Hashable, Sendable {
    /// The dimensions, outermost first.
    public let shape: Shape
    /// The integers in row-major order.
    public let values: [Int64]

    /// An array of `values` in row-major order under `shape`.
    public init(shape: Shape, values: [Int64]) {
        precondition(values.count == shape.elementCount,
                     "\(values.count) integers do not fill shape \(shape)")
        self.shape = shape
        self.values = values
    }
}
