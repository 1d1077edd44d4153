/// Many strings stored back to back in one UTF-8 byte buffer, read by position.
///
/// Layout: `bytes` holds every string's UTF-8 bytes in order with no separator;
/// `ends[i]` is the offset one past the last byte of string `i`, so string `i`
/// spans `ends[i - 1]..<ends[i]` (from 0 for the first). An index of ImageNet's
/// 1.28 million relative paths then costs two arrays (about 40 MB of text and
/// 10 MB of offsets) instead of 1.28 million separately allocated `String`s,
/// and copying the index or sending it to another thread retains two buffers.
public struct PackedStrings: Equatable, Sendable, RandomAccessCollection {
    /// Every string's UTF-8 bytes, concatenated.
    public private(set) var bytes: [UInt8] = []
    /// One past the last byte of each string in `bytes`.
    public private(set) var ends: [Int] = []

    /// An empty table.
    public init() {}

    /// A table holding `strings` in order.
    public init<Strings: Sequence>(_ strings: Strings) where Strings.Element == String {
        for string in strings {
            append(string)
        }
    }

    /// Adds `string` after the last one.
    public mutating func append(_ string: String) {
        bytes.append(contentsOf: string.utf8)
        ends.append(bytes.count)
    }

    /// Reserves room for `count` more strings of about `averageLength` bytes each.
    public mutating func reserveCapacity(strings count: Int, averageLength: Int) {
        ends.reserveCapacity(ends.count + count)
        bytes.reserveCapacity(bytes.count + count * averageLength)
    }

    /// The position of the first string.
    public var startIndex: Int { 0 }

    /// One past the position of the last string.
    public var endIndex: Int { ends.count }

    /// The string at `position`, decoded from its UTF-8 bytes.
    public subscript(position: Int) -> String {
        String(decoding: utf8Bytes(at: position), as: UTF8.self)
    }

    /// The UTF-8 bytes of the string at `position`, without copying them.
    public func utf8Bytes(at position: Int) -> ArraySlice<UInt8> {
        precondition(position >= 0 && position < ends.count, "string index \(position) is outside 0..<\(ends.count)")
        let start = position == 0 ? 0 : ends[position - 1]
        return bytes[start..<ends[position]]
    }
}
