/// Why a checkpoint could not be written or read; each case names the file and what was expected.
public enum CheckpointError: Error, CustomStringConvertible, Equatable {
    case noCheckpoint(directory: String)
    case unreadable(file: String, reason: String)
    case badField(file: String, field: String, expected: String, found: String)
    case writeFailed(path: String, reason: String)
    case incompatible(file: String, reason: String)

    public var description: String {
        switch self {
        case .noCheckpoint(let directory):
            "\(directory): no checkpoint to resume from (expected a 'last' link written by a previous run)"
        case let .unreadable(file, reason):
            "\(file): cannot read the checkpoint: \(reason)"
        case let .badField(file, field, expected, found):
            "\(file): field '\(field)': expected \(expected), found \(found)"
        case let .writeFailed(path, reason):
            "\(path): cannot write the checkpoint: \(reason)"
        case let .incompatible(file, reason):
            "\(file): \(reason)"
        }
    }
}
