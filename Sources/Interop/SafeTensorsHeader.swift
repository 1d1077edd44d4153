/// The header of a safetensors file: string metadata and each tensor's dtype, shape and byte range.
///
/// Shapes: `entries` are in data order, each `begin..<end` relative to the first
/// byte after the header, together covering the data section with no holes.
/// Why its own type: reading validates one of these before touching any tensor
/// bytes, and writing lays one out before streaming them.
struct SafeTensorsHeader {
    /// One tensor's description.
    struct Entry {
        var name: String
        var dtype: SafeTensorsDType
        var shape: [Int]
        var begin: UInt64
        var end: UInt64

        /// Elements in the tensor: the product of the shape (1 for a scalar).
        var elementCount: Int { shape.reduce(1, *) }

        /// Bytes the tensor occupies in the data section.
        var byteCount: Int { Int(end - begin) }
    }

    /// The largest header accepted, the same limit the reference implementation sets.
    ///
    /// Why: the length comes from the file, and a hostile or corrupt one must not
    /// make the reader parse gigabytes as JSON.
    static let maximumByteCount = 100_000_000

    var metadata: [String: String]
    var entries: [Entry]
}
