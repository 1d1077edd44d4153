/// How a tensor's elements are laid out in its storage.
///
/// `plain` is dense row-major in the order of the shape (NCHW, NC, OIHW). `blocked`
/// is whatever layout a backend primitive chose (oneDNN's nChw16c, OIhw16i16o, ...):
/// activations stay in it from layer to layer, and only the edges (input batch,
/// checkpoints, tests) reorder to `plain`. Why: reordering at every layer would
/// cost more than many of the layers themselves.
public enum MemoryFormat: Hashable, Sendable, CustomStringConvertible {
    case plain
    case blocked(BlockedLayout)

    public var isPlain: Bool {
        if case .plain = self { return true }
        return false
    }

    public var description: String {
        switch self {
        case .plain: "plain"
        case .blocked(let layout): layout.name
        }
    }
}

/// A backend-specific layout: the backend's descriptor, a canonical key, and a readable name.
///
/// `descriptor` holds the backend's own descriptor bytes, from which the backend
/// rebuilds it; `key` is a canonical summary (dimensions, type, strides, blocks)
/// that two equal layouts share even where the raw bytes differ in padding, so
/// layouts compare and hash by `key` and can be primitive-cache keys. `byteCount`
/// includes any padding the layout adds (channels rounded up to the block size).
public struct BlockedLayout: Hashable, Sendable {
    public let descriptor: [UInt8]
    public let key: [Int64]
    public let name: String
    public let byteCount: Int

    public init(descriptor: [UInt8], key: [Int64], name: String, byteCount: Int) {
        self.descriptor = descriptor
        self.key = key
        self.name = name
        self.byteCount = byteCount
    }

    public static func == (lhs: BlockedLayout, rhs: BlockedLayout) -> Bool {
        lhs.key == rhs.key
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(key)
    }
}
