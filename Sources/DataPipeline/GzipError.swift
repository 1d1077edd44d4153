/// Why a gzip stream could not be inflated.
///
/// Carries no file path: callers that read files (such as `IDXFile`) wrap it in
/// their own error, which names the file. Kept separate from those errors so that
/// any reader of gzip data (IDX today, tar shards later) can share `Gzip`.
public enum GzipError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The stream ended before gzip's end-of-member marker and trailer.
    case truncated(compressedBytes: Int, inflatedBytes: Int)
    /// zlib rejected the stream (bad header, bad checksum, invalid block).
    case corrupt(reason: String)

    /// A sentence describing what went wrong, with the sizes involved.
    public var description: String {
        switch self {
        case let .truncated(compressedBytes, inflatedBytes):
            return "gzip stream is truncated: \(compressedBytes) compressed bytes ended "
                + "after \(inflatedBytes) inflated bytes without the end-of-stream marker"
        case let .corrupt(reason):
            return "gzip stream is corrupt: \(reason)"
        }
    }
}
