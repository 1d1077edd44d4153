@testable import DataPipeline
import Testing

/// The padded random crop and the horizontal flip, checked pixel by pixel against hand-computed images.
struct AugmentationTests {
    /// A 3×3 grey image holding 1 ... 9, row by row.
    let counting = LabeledImageSet(
        height: 3, width: 3, channels: 1, pixels: Array(1...9), labels: [0], classNames: ["only"]
    )

    @Test func cropWithPaddingShiftsTheImageAndLetsZerosIn() {
        let assembler = BatchAssembler(
            set: counting, statistics: SyntheticImageSet.unitStatistics(),
            augmentation: Augmentation(randomCropPadding: 1), seed: 0
        )
        // Window at row 0, column 2 of the 5×5 padded image: one row down, one column left.
        let transform = SampleTransform(rowOffset: 0, columnOffset: 2, flipsHorizontally: false)

        let image = assembler.image(sample: 0, transform: transform)

        let expected: [UInt8] = [0, 0, 0, 2, 3, 0, 5, 6, 0]
        #expect(image == expected.map { Float($0) / 255 })
    }

    @Test func flipMirrorsEachRowAfterTheCrop() {
        let assembler = BatchAssembler(
            set: counting, statistics: SyntheticImageSet.unitStatistics(),
            augmentation: Augmentation(randomCropPadding: 1, horizontalFlip: true), seed: 0
        )

        let cropped = assembler.image(
            sample: 0, transform: SampleTransform(rowOffset: 0, columnOffset: 2, flipsHorizontally: true)
        )
        let mirrored = assembler.image(
            sample: 0, transform: SampleTransform(rowOffset: 1, columnOffset: 1, flipsHorizontally: true)
        )

        #expect(cropped == ([0, 0, 0, 0, 3, 2, 0, 6, 5] as [UInt8]).map { Float($0) / 255 })
        #expect(mirrored == ([3, 2, 1, 6, 5, 4, 9, 8, 7] as [UInt8]).map { Float($0) / 255 })
    }

    @Test func loaderOutputMatchesPaddingThenCroppingWithTheDrawnOffsets() throws {
        let set = SyntheticImageSet.make(count: 12, height: 5, width: 4, channels: 2)
        let statistics = ChannelStatistics(mean: [0.25, 0.5], deviation: [0.5, 0.125])
        let augmentation = Augmentation(randomCropPadding: 2, horizontalFlip: true)
        let loader = BatchLoader(
            set: set, batchSize: 5, shuffle: true, dropLast: false, augmentation: augmentation,
            statistics: statistics, seed: 99, workers: 0
        )

        for epoch in 0..<3 {
            for batch in loader.batches(epoch: epoch) {
                for slot in 0..<batch.count {
                    let index = batch.indices[slot]
                    let transform = SampleTransform.draw(augmentation: augmentation, seed: 99, epoch: epoch, index: index)
                    let expected = referenceImage(set, index: index, padding: 2, transform: transform)
                        .enumerated()
                        .map { position, value in
                            let channel = position / (set.height * set.width)
                            return (Float(value) / 255 - statistics.mean[channel]) / statistics.deviation[channel]
                        }
                    let start = slot * batch.pixelsPerImage
                    #expect(Array(batch.pixels[start..<(start + batch.pixelsPerImage)]) == expected)
                    #expect(batch.labels[slot] == set.labels[index])
                }
            }
        }
    }

    @Test func drawsCoverEveryOffsetAndFlipAboutHalfTheTime() {
        let augmentation = Augmentation(randomCropPadding: 4, horizontalFlip: true)
        let draws = (0..<4000).map { SampleTransform.draw(augmentation: augmentation, seed: 7, epoch: 1, index: $0) }

        #expect(Set(draws.map(\.rowOffset)) == Set(0...8))
        #expect(Set(draws.map(\.columnOffset)) == Set(0...8))
        let flips = draws.filter(\.flipsHorizontally).count
        #expect(flips > 1800 && flips < 2200)
        #expect(draws != (0..<4000).map { SampleTransform.draw(augmentation: augmentation, seed: 7, epoch: 2, index: $0) })
    }

    @Test func cropWithoutFlipNeverMirrors() {
        let augmentation = Augmentation(randomCropPadding: 3)
        let draws = (0..<500).map { SampleTransform.draw(augmentation: augmentation, seed: 1, epoch: 0, index: $0) }

        #expect(draws.allSatisfy { !$0.flipsHorizontally })
    }

    @Test func noAugmentationLeavesExactlyTheStandardisedInput() throws {
        let set = SyntheticImageSet.make(count: 7, height: 3, width: 4, channels: 3)
        let statistics = ChannelStatistics(mean: [0.3, 0.4, 0.5], deviation: [0.2, 0.25, 0.3])
        let loader = BatchLoader(
            set: set, batchSize: 7, shuffle: false, dropLast: false, augmentation: .none,
            statistics: statistics, seed: 5, workers: 0
        )

        let batch = try #require(Array(loader.batches(epoch: 3)).first)

        var expected = [Float]()
        for index in 0..<set.count {
            for channel in 0..<3 {
                for row in 0..<3 {
                    for column in 0..<4 {
                        let byte = set.pixels[((index * 3 + row) * 4 + column) * 3 + channel]
                        expected.append((Float(byte) / 255 - statistics.mean[channel]) / statistics.deviation[channel])
                    }
                }
            }
        }
        #expect(batch.pixels == expected)
        #expect(batch.indices == Array(0..<7))
    }

    /// Pads the HWC image with zeros into an explicit array, cuts the window, mirrors it: CHW bytes.
    private func referenceImage(_ set: LabeledImageSet, index: Int, padding: Int, transform: SampleTransform) -> [UInt8] {
        let paddedHeight = set.height + 2 * padding
        let paddedWidth = set.width + 2 * padding
        var padded = [UInt8](repeating: 0, count: paddedHeight * paddedWidth * set.channels)
        let image = Array(set.image(at: index))
        for row in 0..<set.height {
            for column in 0..<set.width {
                for channel in 0..<set.channels {
                    padded[((row + padding) * paddedWidth + column + padding) * set.channels + channel] =
                        image[(row * set.width + column) * set.channels + channel]
                }
            }
        }
        var output = [UInt8]()
        for channel in 0..<set.channels {
            for row in 0..<set.height {
                var line = [UInt8]()
                for column in 0..<set.width {
                    let paddedRow = row + transform.rowOffset
                    let paddedColumn = column + transform.columnOffset
                    line.append(padded[(paddedRow * paddedWidth + paddedColumn) * set.channels + channel])
                }
                output += transform.flipsHorizontally ? line.reversed() : line
            }
        }
        return output
    }
}
