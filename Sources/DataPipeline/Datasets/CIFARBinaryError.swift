/// Why a CIFAR binary batch file or names file could not be read.
///
/// Every case names the file and, for a bad record, its index and byte offset,
/// so a message alone says which download is incomplete.
public enum CIFARBinaryError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No file exists at `path`.
    case missingFile(path: String)
    /// The file exists but could not be read.
    case unreadableFile(path: String, reason: String)
    /// The batch file holds no bytes at all.
    case emptyFile(path: String, recordSize: Int)
    /// The last record stops early: record `record` starts at byte `offset` and has only `foundBytes` of its `expectedBytes`.
    case truncatedRecord(path: String, record: Int, offset: Int, expectedBytes: Int, foundBytes: Int)
    /// A label byte (at byte `offset`) is not below the number of classes.
    case labelOutOfRange(path: String, record: Int, offset: Int, label: Int, classCount: Int)
    /// A names file lists a different number of classes than the data set has.
    case classNameCount(path: String, expected: Int, found: Int)

    /// A sentence naming the file, the offset and what was expected.
    public var description: String {
        switch self {
        case let .missingFile(path):
            return "\(path): CIFAR file not found"
        case let .unreadableFile(path, reason):
            return "\(path): CIFAR file could not be read: \(reason)"
        case let .emptyFile(path, recordSize):
            return "\(path): CIFAR batch file is empty: expected records of \(recordSize) bytes"
        case let .truncatedRecord(path, record, offset, expectedBytes, foundBytes):
            return "\(path): CIFAR batch file is truncated: record \(record) at byte offset \(offset) "
                + "has \(foundBytes) of its \(expectedBytes) bytes"
        case let .labelOutOfRange(path, record, offset, label, classCount):
            return "\(path): label \(label) of record \(record) (byte offset \(offset)) is out of range: expected 0..<\(classCount)"
        case let .classNameCount(path, expected, found):
            return "\(path): expected \(expected) class names, one per line, found \(found)"
        }
    }
}
