import Foundation

/// Where each sample's image lies inside a set of tar shards, one row per sample.
///
/// Layout: parallel arrays of `count` rows: `shardIndices[i]` indexes `shards`,
/// `offsets[i]` and `lengths[i]` give the byte range of the image member's data
/// in that shard, `keys[i]` is the WebDataset key of the sample (for messages
/// and tracing). Parallel arrays rather than an array of structs with a `URL`
/// each, so the table stays a handful of allocations at any size.
public struct TarMemberTable: Equatable, Sendable {
    /// The shard files, in the order they were indexed.
    public let shards: [URL]
    /// For each sample, the index in `shards` of the file holding its image.
    public let shardIndices: [Int32]
    /// For each sample, the byte offset of its image data in its shard.
    public let offsets: [Int]
    /// For each sample, the byte length of its image data.
    public let lengths: [Int]
    /// For each sample, its key: the member path up to the first dot of the file name.
    public let keys: PackedStrings

    /// Wraps rows already gathered.
    ///
    /// - Precondition: all per-sample arrays have the same length and every shard index is valid.
    public init(shards: [URL], shardIndices: [Int32], offsets: [Int], lengths: [Int], keys: PackedStrings) {
        precondition(
            offsets.count == shardIndices.count && lengths.count == shardIndices.count && keys.count == shardIndices.count,
            "tar member table columns disagree: \(shardIndices.count) shard indices, \(offsets.count) offsets, "
                + "\(lengths.count) lengths, \(keys.count) keys"
        )
        precondition(
            shardIndices.allSatisfy { $0 >= 0 && Int($0) < shards.count },
            "every shard index must index the \(shards.count) shards"
        )
        self.shards = shards
        self.shardIndices = shardIndices
        self.offsets = offsets
        self.lengths = lengths
        self.keys = keys
    }

    /// Number of rows (samples).
    public var count: Int { shardIndices.count }

    /// The location of row `index`'s image data.
    public func location(at index: Int) -> SampleLocation {
        .tarMember(shard: shards[Int(shardIndices[index])], offset: offsets[index], length: lengths[index])
    }
}
