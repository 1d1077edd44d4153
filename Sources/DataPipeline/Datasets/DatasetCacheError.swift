/// Why an archive could not be unpacked into the data-set cache.
public enum DatasetCacheError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No archive exists at `path`.
    case missingArchive(path: String)
    /// The cache folder could not be created or written.
    case cannotWrite(path: String, reason: String)
    /// `tar` could not be started or exited with a failure; `message` is what it wrote to standard error.
    case tarFailed(archive: String, status: Int32, message: String)

    /// A sentence naming the archive or folder and what went wrong.
    public var description: String {
        switch self {
        case let .missingArchive(path):
            return "\(path): archive not found"
        case let .cannotWrite(path, reason):
            return "\(path): could not write to the data-set cache: \(reason)"
        case let .tarFailed(archive, status, message):
            return "\(archive): unpacking failed (tar exit status \(status)): \(message.isEmpty ? "no message" : message); "
                + "expected a complete gzip-compressed tar archive"
        }
    }
}
