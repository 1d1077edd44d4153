/// An element type the collectives can carry: Float, Double, Int64 and UInt8.
///
/// Why these four: float32 gradients and parameters, float64 for statistics that sum
/// many values (SyncBN moments, metrics), int64 for counts and hashes, uint8 for text.
public protocol CommunicatorElement: BitwiseCopyable, Sendable, Equatable {
    static var elementType: ElementType { get }
}

/// The element types of `CommunicatorElement`, as a value the transports switch on.
public enum ElementType: String, Sendable {
    case float32, float64, int64, uint8

    /// Bytes per element.
    public var byteCount: Int {
        switch self {
        case .float32: 4
        case .float64, .int64: 8
        case .uint8: 1
        }
    }
}

extension Float: CommunicatorElement { public static var elementType: ElementType { .float32 } }
extension Double: CommunicatorElement { public static var elementType: ElementType { .float64 } }
extension Int64: CommunicatorElement { public static var elementType: ElementType { .int64 } }
extension UInt8: CommunicatorElement { public static var elementType: ElementType { .uint8 } }
