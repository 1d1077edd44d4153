import DataPipeline
import Testing

/// Measuring per-channel mean and population deviation on pixels scaled to [0, 1].
struct ChannelStatisticsTests {
    @Test func measuresEachChannelSeparately() {
        let set = LabeledImageSet(
            height: 1, width: 2, channels: 2,
            pixels: [0, 255, 255, 255, 0, 51, 255, 102],
            labels: [0, 0], classNames: ["only"]
        )

        let statistics = ChannelStatistics.measure(set)

        #expect(statistics.channels == 2)
        #expect(abs(statistics.mean[0] - 0.5) < 1e-6)
        #expect(abs(statistics.deviation[0] - 0.5) < 1e-6)
        let second: [Double] = [1, 1, 0.2, 0.4]
        let mean = second.reduce(0, +) / 4
        let deviation = (second.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 4).squareRoot()
        #expect(abs(Double(statistics.mean[1]) - mean) < 1e-6)
        #expect(abs(Double(statistics.deviation[1]) - deviation) < 1e-6)
    }

    @Test func constantImagesHaveZeroDeviation() {
        let set = LabeledImageSet(
            height: 2, width: 2, channels: 1, pixels: Array(repeating: 51, count: 12),
            labels: [0, 0, 0], classNames: ["only"]
        )

        let statistics = ChannelStatistics.measure(set)

        #expect(abs(statistics.mean[0] - 0.2) < 1e-6)
        #expect(statistics.deviation[0] == 0)
    }

    @Test func fashionMNISTTrainingSetHasThePublishedStatistics() throws {
        let set = try FashionMNIST.load(split: .train)

        let statistics = ChannelStatistics.measure(set)

        #expect(abs(statistics.mean[0] - 0.2860) < 5e-4)
        #expect(abs(statistics.deviation[0] - 0.3530) < 5e-4)
    }
}
