import TensorCore

/// Non-trainable state of a layer that checkpoints must keep: running statistics and counters.
///
/// Distinct from `Parameter` so that optimizers never see it and state
/// dictionaries still carry it under the same dotted paths as PyTorch.
public final class Buffer {
    public enum Value {
        case tensor(Tensor)
        /// An integer counter (batch norm's `num_batches_tracked`, stored as I64 in checkpoints).
        case count(Int64)
    }

    public let name: String
    public var value: Value

    public init(name: String, value: Value) {
        self.name = name
        self.value = value
    }

    /// The tensor value; a programmer error for counters.
    public var tensor: Tensor {
        get {
            guard case .tensor(let tensor) = value else { preconditionFailure("\(name) is a counter") }
            return tensor
        }
        set { value = .tensor(newValue) }
    }
}
