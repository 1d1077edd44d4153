/// Why a tar archive could not be read.
///
/// Every case names the archive and the byte offset of the header or data at
/// fault, so a message alone says which shard to re-download and how far it got.
public enum TarError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No file exists at `path`.
    case missingFile(path: String)
    /// The file exists but could not be opened or read.
    case unreadableFile(path: String, reason: String)
    /// The archive ends (at `fileSize` bytes) before what was expected at `offset`.
    case truncated(path: String, offset: Int, expected: String, fileSize: Int)
    /// The header at `offset` fails its checksum: the archive is corrupt or not a tar file.
    case badChecksum(path: String, offset: Int, stored: Int, computed: Int)
    /// A numeric field of the header at `offset` is not octal or base-256.
    case badHeaderField(path: String, offset: Int, field: String, text: String)
    /// The pax extended header at `offset` does not hold well-formed records.
    case malformedPaxHeader(path: String, offset: Int, reason: String)
    /// A long-name or pax header claims more data than any real one holds.
    case extensionTooLarge(path: String, offset: Int, size: Int, limit: Int)
    /// A long-name or pax header at `offset` is followed by the end of the archive, not by the member it describes.
    case extensionWithoutMember(path: String, offset: Int)

    /// A sentence naming the archive, the offset and what was expected.
    public var description: String {
        switch self {
        case let .missingFile(path):
            return "\(path): tar file not found"
        case let .unreadableFile(path, reason):
            return "\(path): tar file could not be read: \(reason)"
        case let .truncated(path, offset, expected, fileSize):
            return "\(path): tar file is truncated at byte offset \(offset): expected \(expected), "
                + "but the file ends at byte \(fileSize)"
        case let .badChecksum(path, offset, stored, computed):
            return "\(path): tar header at byte offset \(offset) has checksum \(stored), expected \(computed): "
                + "the file is corrupt or not a tar archive"
        case let .badHeaderField(path, offset, field, text):
            return "\(path): tar header at byte offset \(offset): field \(field) is \"\(text)\", expected an octal number"
        case let .malformedPaxHeader(path, offset, reason):
            return "\(path): pax extended header at byte offset \(offset) is malformed: \(reason)"
        case let .extensionTooLarge(path, offset, size, limit):
            return "\(path): extended header at byte offset \(offset) claims \(size) bytes, expected at most \(limit)"
        case let .extensionWithoutMember(path, offset):
            return "\(path): extended header at byte offset \(offset) is followed by the end of the archive, "
                + "expected the member it describes"
        }
    }
}
