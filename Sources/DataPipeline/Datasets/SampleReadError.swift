/// Why the encoded bytes of one indexed sample could not be read.
public enum SampleReadError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file (an image, or the shard holding it) is gone or could not be read.
    case unreadable(path: String, reason: String)
    /// The shard ends before the member's range: it changed or was truncated after indexing.
    case shortMember(shard: String, offset: Int, expectedBytes: Int, foundBytes: Int)

    /// A sentence naming the file and what was expected.
    public var description: String {
        switch self {
        case let .unreadable(path, reason):
            return "\(path): sample could not be read: \(reason)"
        case let .shortMember(shard, offset, expectedBytes, foundBytes):
            return "\(shard): expected \(expectedBytes) bytes of a sample at byte offset \(offset), found \(foundBytes); "
                + "the shard changed after it was indexed"
        }
    }
}
