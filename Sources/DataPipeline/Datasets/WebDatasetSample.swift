/// One sample read from a WebDataset shard: its key, its encoded image, its class id and optional metadata.
///
/// Made by `WebDatasetReader`, which reads a shard front to back, so a
/// training pass can stream shards without an index or random access.
public struct WebDatasetSample: Equatable, Sendable {
    /// The members' shared path up to the first dot of the file name.
    public let key: String
    /// The image member's extension, lowercased (`jpg`, `png`, …); the decoder sniffs the real format.
    public let imageExtension: String
    /// The image member's bytes, still encoded.
    public let image: [UInt8]
    /// The class id from the `.cls` member.
    public let label: Int32
    /// The `.json` member's bytes, when the sample has one.
    public let metadata: [UInt8]?

    /// Wraps the parts of a sample.
    public init(key: String, imageExtension: String, image: [UInt8], label: Int32, metadata: [UInt8]?) {
        self.key = key
        self.imageExtension = imageExtension
        self.image = image
        self.label = label
        self.metadata = metadata
    }
}
