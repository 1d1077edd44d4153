/// Why a batch of images could not be prepared: the sample, its file, and the reader's or decoder's words.
public struct ImageLoadingError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Position of the failing sample in the data set.
    public let sampleIndex: Int
    /// The file (or `shard:offset` of a tar member) the sample lives in.
    public let path: String
    /// What went wrong, as the reader or decoder put it.
    public let reason: String
    /// How many samples in a row had failed when the loader gave up (1 under `fail`).
    public let consecutiveFailures: Int

    public init(sampleIndex: Int, path: String, reason: String, consecutiveFailures: Int) {
        self.sampleIndex = sampleIndex
        self.path = path
        self.reason = reason
        self.consecutiveFailures = consecutiveFailures
    }

    public var description: String {
        let prefix = consecutiveFailures > 1 ? "\(consecutiveFailures) consecutive samples failed; the last: " : ""
        return "\(prefix)\(path) (sample \(sampleIndex)): \(reason)"
    }
}
