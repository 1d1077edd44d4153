import TensorCore

/// The contents of a safetensors file: named float tensors and integer arrays in order, plus string metadata.
///
/// Shapes: float tensors are plain (dense row-major), as the file stores them;
/// integer arrays carry their own shape. Entries keep their order (file order
/// when read, insertion order when built) and lookups by name are O(1) through
/// an index. Why a value type: a checkpoint is read whole, inspected, and
/// written whole; nothing in it is shared mutable state.
public struct SafeTensors: Sendable {
    /// What one named entry holds.
    public enum Value: Sendable {
        /// A float32 or bfloat16 tensor in plain format.
        case tensor(Tensor)
        /// An array of 64-bit integers (I64 and I32 tensors in the file).
        case integers(IntegerArray)

        /// The dimensions of the entry, outermost first.
        public var shape: Shape {
            switch self {
            case .tensor(let tensor): tensor.shape
            case .integers(let array): array.shape
            }
        }
    }

    /// One named tensor or integer array.
    public struct Entry: Sendable {
        public let name: String
        public let value: Value
    }

    /// The name the format reserves for the metadata object; no tensor may use it.
    public static let metadataKey = "__metadata__"

    /// Free-form string pairs stored under `__metadata__` (timm writes `format: pt`).
    public var metadata: [String: String]

    /// The entries in order.
    public private(set) var entries: [Entry]

    /// Where each name sits in `entries`.
    private var indexByName: [String: Int]

    /// An empty collection with `metadata`.
    public init(metadata: [String: String] = [:]) {
        self.metadata = metadata
        self.entries = []
        self.indexByName = [:]
    }

    /// The entry names in order.
    public var names: [String] { entries.map(\.name) }

    /// The number of entries.
    public var count: Int { entries.count }

    /// Whether an entry called `name` exists.
    public func contains(_ name: String) -> Bool {
        indexByName[name] != nil
    }

    /// The entry called `name`, if any.
    public func entry(named name: String) -> Entry? {
        indexByName[name].map { entries[$0] }
    }

    /// The float tensor called `name`; nil when there is none or the entry holds integers.
    public subscript(name: String) -> Tensor? {
        guard case .tensor(let tensor)? = entry(named: name)?.value else { return nil }
        return tensor
    }

    /// The integers of the entry called `name` in row-major order; nil when there is none or it holds floats.
    public func integers(named name: String) -> [Int64]? {
        integerArray(named: name)?.values
    }

    /// The integer array called `name`, with its shape; nil when there is none or it holds floats.
    public func integerArray(named name: String) -> IntegerArray? {
        guard case .integers(let array)? = entry(named: name)?.value else { return nil }
        return array
    }

    /// Adds `tensor` as `name`, replacing an entry of that name in place.
    ///
    /// The tensor must be plain: the file stores dense row-major bytes, so callers
    /// reorder blocked tensors first.
    public mutating func insert(_ tensor: Tensor, named name: String) {
        precondition(tensor.format.isPlain,
                     "tensor \"\(name)\" is \(tensor.format): reorder it to plain before storing it")
        insert(.tensor(tensor), named: name)
    }

    /// Adds `integers` as `name`, replacing an entry of that name in place.
    public mutating func insert(_ integers: IntegerArray, named name: String) {
        insert(.integers(integers), named: name)
    }

    /// Adds `value` as `name`, replacing an entry of that name in place.
    private mutating func insert(_ value: Value, named name: String) {
        precondition(name != Self.metadataKey, "\"\(Self.metadataKey)\" is reserved for metadata")
        let entry = Entry(name: name, value: value)
        if let index = indexByName[name] {
            entries[index] = entry
        } else {
            indexByName[name] = entries.count
            entries.append(entry)
        }
    }
}
