/// How the elements of an [N, C, ...] tensor group by channel: batch, channels, and spatial size.
///
/// Shared by the normalizations, which all walk "every element of channel c" in the same way.
struct ChannelLayout {
    let batch: Int
    let channels: Int
    let spatial: Int

    init(shape: [Int]) {
        precondition(shape.count >= 2, "normalization needs an [N, C, ...] input, got \(shape)")
        batch = shape[0]
        channels = shape[1]
        spatial = shape.dropFirst(2).reduce(1, *)
    }

    /// Calls `body` with the flat index of every element of `channel`, sample by sample.
    func forEachIndex(channel: Int, _ body: (Int) -> Void) {
        for sample in 0..<batch {
            let start = (sample * channels + channel) * spatial
            for index in start..<(start + spatial) { body(index) }
        }
    }
}
