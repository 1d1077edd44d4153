import DataPipeline

/// Small labelled image sets with varied, reproducible bytes, for loader tests.
enum SyntheticImageSet {
    /// `count` images of `height × width × channels` whose bytes follow a fixed hash of their position.
    static func make(count: Int, height: Int, width: Int, channels: Int = 1, classes: Int = 3) -> LabeledImageSet {
        let total = count * height * width * channels
        let pixels = (0..<total).map { position in UInt8(truncatingIfNeeded: (position &* 2_654_435_761) >> 7) }
        let labels = (0..<count).map { Int32($0 % classes) }
        return LabeledImageSet(
            height: height, width: width, channels: channels, pixels: pixels, labels: labels,
            classNames: (0..<classes).map { "class \($0)" }
        )
    }

    /// Statistics that leave pixels as `x / 255`, exactly.
    static func unitStatistics(channels: Int = 1) -> ChannelStatistics {
        ChannelStatistics(mean: Array(repeating: 0, count: channels), deviation: Array(repeating: 1, count: channels))
    }
}
