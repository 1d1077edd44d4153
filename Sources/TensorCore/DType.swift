/// The element type of a tensor's storage.
///
/// Hone trains with `float32` master weights and may run convolutions and matrix
/// products in `bfloat16`; statistics, losses and optimizer state stay `float32`.
public enum DType: String, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    case float32
    case bfloat16

    /// Bytes per element.
    public var byteCount: Int {
        switch self {
        case .float32: 4
        case .bfloat16: 2
        }
    }

    public var description: String {
        switch self {
        case .float32: "f32"
        case .bfloat16: "bf16"
        }
    }
}
