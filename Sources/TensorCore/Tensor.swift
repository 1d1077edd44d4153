/// An n-dimensional array of `float32` or `bfloat16` elements in a stated memory format.
///
/// Shapes are outermost first: NCHW for images, NC for features, OIHW for
/// convolution weights. The `format` says how the elements sit in `storage`:
/// `plain` tensors can be read element by element; `blocked` ones go through the
/// backend (`Backend.reorder`) first. A tensor is a value: kernels write new
/// storage instead of changing an input's, except where a caller owns the storage
/// (an optimizer updating its parameters).
public struct Tensor: Sendable, CustomStringConvertible {
    public let shape: Shape
    public let dtype: DType
    public let format: MemoryFormat
    public let storage: TensorStorage

    public init(shape: Shape, dtype: DType, format: MemoryFormat, storage: TensorStorage) {
        precondition(storage.byteCount >= Tensor.byteCount(shape: shape, dtype: dtype, format: format),
                     "storage of \(storage.byteCount) bytes is too small for \(shape) \(dtype) \(format)")
        self.shape = shape
        self.dtype = dtype
        self.format = format
        self.storage = storage
    }

    /// A plain tensor of zeros.
    public init(zeros shape: Shape, dtype: DType = .float32) {
        let storage = TensorStorage(byteCount: shape.elementCount * dtype.byteCount)
        self.init(shape: shape, dtype: dtype, format: .plain, storage: storage)
    }

    /// A plain tensor holding `scalars` in row-major order, stored as `dtype` (rounded to nearest for bf16).
    public init(shape: Shape, scalars: [Float], dtype: DType = .float32) {
        precondition(scalars.count == shape.elementCount,
                     "\(scalars.count) scalars do not fill shape \(shape)")
        self.init(zeros: shape, dtype: dtype)
        scalars.withUnsafeBufferPointer { source in
            switch dtype {
            case .float32:
                let destination = storage.buffer(as: Float.self, count: source.count)
                _ = destination.initialize(from: source)
            case .bfloat16:
                let destination = storage.buffer(as: UInt16.self, count: source.count)
                for index in source.indices { destination[index] = BFloat16.bits(from: source[index]) }
            }
        }
    }

    /// A plain tensor with every element equal to `value`.
    public init(repeating value: Float, shape: Shape, dtype: DType = .float32) {
        self.init(shape: shape, scalars: [Float](repeating: value, count: shape.elementCount), dtype: dtype)
    }

    /// The bytes a tensor of this shape, type and format occupies.
    public static func byteCount(shape: Shape, dtype: DType, format: MemoryFormat) -> Int {
        switch format {
        case .plain: shape.elementCount * dtype.byteCount
        case .blocked(let layout): layout.byteCount
        }
    }

    public var elementCount: Int { shape.elementCount }

    /// The bytes this tensor occupies in its storage (padding of blocked layouts included).
    public var byteCount: Int { Tensor.byteCount(shape: shape, dtype: dtype, format: format) }

    /// The elements in row-major order, widened to `Float`. Only for plain tensors.
    public var scalars: [Float] {
        precondition(format.isPlain, "scalars of a \(format) tensor: reorder it to plain first")
        switch dtype {
        case .float32:
            return Array(storage.buffer(as: Float.self, count: elementCount))
        case .bfloat16:
            return storage.buffer(as: UInt16.self, count: elementCount).map(BFloat16.float(from:))
        }
    }

    /// The same elements under a new shape with the same element count. Only for plain tensors.
    public func reshaped(_ newShape: Shape) -> Tensor {
        precondition(format.isPlain, "reshape of a \(format) tensor: reorder it to plain first")
        precondition(newShape.elementCount == shape.elementCount,
                     "cannot reshape \(shape) to \(newShape)")
        return Tensor(shape: newShape, dtype: dtype, format: .plain, storage: storage)
    }

    /// A plain tensor with its own copy of the bytes.
    public func copied() -> Tensor {
        Tensor(shape: shape, dtype: dtype, format: format, storage: storage.copy())
    }

    public var description: String {
        "Tensor(\(shape), \(dtype), \(format))"
    }
}
