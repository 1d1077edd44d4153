import Foundation

/// Indexes WebDataset tar shards: one pass over each shard records where every sample's image lies and its class id.
///
/// The index lets a loader read samples in any order (a seek and a read per
/// image) instead of streaming shards; `WebDatasetReader` streams them instead.
/// Sample order is shard order, then member order within a shard.
public enum WebDataset {
    /// Indexes `shards` in order.
    ///
    /// - Parameter classNames: the class names; labels must index them. When
    ///   `nil`, the classes are `0...largest label`, named by their index.
    /// - Throws: `WebDatasetError` naming the shard (and the sample key or byte
    ///   offset) for a malformed sample, a truncated or corrupt shard, or no sample at all.
    public static func index(shards: [URL], classNames: [String]? = nil) throws(WebDatasetError) -> SampleIndex {
        var shardIndices: [Int32] = []
        var offsets: [Int] = []
        var lengths: [Int] = []
        var keys = PackedStrings()
        var labels: [Int32] = []
        for (shardIndex, shard) in shards.enumerated() {
            let reader = try WebDatasetReader(shard: shard, classCount: classNames?.count, mode: .locations)
            while let group = try reader.nextGroup() {
                guard let image = group.image, let label = group.label else { continue }
                shardIndices.append(Int32(shardIndex))
                offsets.append(image.offset)
                lengths.append(image.length)
                keys.append(group.key)
                labels.append(label)
            }
        }
        guard !labels.isEmpty else {
            throw .noSamples(shards: shards.map(\.path))
        }
        let names = classNames ?? (0...Int(labels.max() ?? 0)).map(String.init)
        let table = TarMemberTable(shards: shards, shardIndices: shardIndices, offsets: offsets, lengths: lengths, keys: keys)
        return SampleIndex(storage: .tarMembers(table), targets: SampleTargets(singleLabels: labels), classNames: names)
    }
}
