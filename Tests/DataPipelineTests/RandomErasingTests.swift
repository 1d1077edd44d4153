@testable import DataPipeline
import Foundation
import Testing

/// Random erasing: the rectangle's bounds and probability, its fills, and that it leaves crops, flips and determinism alone.
struct RandomErasingTests {
    @Test func rectanglesFollowTheAreaAndAspectBoundsAndFitTheImage() {
        // A large image makes rounding of the sides negligible, so the bounds can be checked tightly.
        let erasing = RandomErasing(probability: 1, fill: .constant)
        var tops = Set<Int>()
        for index in 0..<2000 {
            guard let rectangle = ErasedRectangle.draw(erasing, imageHeight: 1000, imageWidth: 800,
                                                       seed: 3, epoch: 0, index: index).first
            else {
                Issue.record("sample \(index) was not erased at probability 1")
                continue
            }
            let area = Double(rectangle.height * rectangle.width) / 800_000
            let aspect = Double(rectangle.height) / Double(rectangle.width)
            #expect(area > 0.0195 && area < 0.3345, "area fraction \(area)")
            #expect(aspect > 0.298 && aspect < 3.345, "aspect \(aspect)")
            #expect(rectangle.top >= 0 && rectangle.top + rectangle.height <= 1000)
            #expect(rectangle.left >= 0 && rectangle.left + rectangle.width <= 800)
            tops.insert(rectangle.top / 100)
        }
        #expect(tops.count >= 9)
    }

    /// timm's `recount`: 1 to N rectangles, each drawn with the area divided by the count.
    @Test func severalRectanglesShareTheDrawnArea() {
        let erasing = RandomErasing(probability: 1, fill: .constant, maximumCount: 3)
        var counts = [Int](repeating: 0, count: 4)
        for index in 0..<3000 {
            let rectangles = ErasedRectangle.draw(erasing, imageHeight: 1000, imageWidth: 800, seed: 5, epoch: 1,
                                                  index: index)
            counts[rectangles.count] += 1
            for rectangle in rectangles {
                let area = Double(rectangle.height * rectangle.width) / 800_000 * Double(rectangles.count)
                #expect(area > 0.0195 && area < 0.3345, "area fraction × count \(area)")
            }
        }
        #expect(counts[0] == 0 && counts[1...3].allSatisfy { $0 > 900 && $0 < 1100 }, "counts \(counts)")
        let single = (0..<200).map {
            ErasedRectangle.draw(RandomErasing(probability: 1), imageHeight: 50, imageWidth: 40, seed: 5, epoch: 1,
                                 index: $0).count
        }
        #expect(single.allSatisfy { $0 <= 1 })
    }

    @Test func aboutTheRequestedShareOfImagesIsErased() {
        let erasing = RandomErasing(probability: 0.3)
        let erased = (0..<10_000).filter {
            !ErasedRectangle.draw(erasing, imageHeight: 28, imageWidth: 28, seed: 1, epoch: 2, index: $0).isEmpty
        }.count
        // A few draws fail all ten attempts on a 28x28 image (sides must stay below 28), so slightly under 30%.
        #expect(erased > 2700 && erased < 3150)
        #expect((0..<1000).allSatisfy {
            ErasedRectangle.draw(RandomErasing(probability: 0), imageHeight: 28, imageWidth: 28,
                                 seed: 1, epoch: 2, index: $0).isEmpty
        })
    }

    @Test func constantFillSetsExactlyTheRectangleToTheMean() throws {
        let set = SyntheticImageSet.make(count: 16, height: 9, width: 7, channels: 2)
        let statistics = ChannelStatistics(mean: [0.25, 0.5], deviation: [0.5, 0.25])
        let plain = Augmentation(randomCropPadding: 1, horizontalFlip: true)
        var erasing = plain
        erasing.randomErasing = RandomErasing(probability: 1, fill: .constant)

        let reference = try #require(Array(loader(set, plain, statistics).batches(epoch: 4)).first)
        let erased = try #require(Array(loader(set, erasing, statistics).batches(epoch: 4)).first)

        #expect(erased.indices == reference.indices)
        var erasedCount = 0
        for slot in 0..<erased.count {
            let rectangle = ErasedRectangle.draw(erasing.randomErasing!, imageHeight: 9, imageWidth: 7,
                                                 seed: 11, epoch: 4, index: erased.indices[slot]).first
            if rectangle != nil { erasedCount += 1 }
            for channel in 0..<2 {
                for row in 0..<9 {
                    for column in 0..<7 {
                        let position = slot * erased.pixelsPerImage + (channel * 9 + row) * 7 + column
                        let inside = rectangle.map {
                            ($0.top..<($0.top + $0.height)).contains(row) && ($0.left..<($0.left + $0.width)).contains(column)
                        } ?? false
                        #expect(erased.pixels[position] == (inside ? 0 : reference.pixels[position]))
                    }
                }
            }
        }
        #expect(erasedCount >= 12)
    }

    @Test func randomFillsAreStandardNormalPerPixelOrPerChannel() throws {
        let set = SyntheticImageSet.make(count: 400, height: 28, width: 28, channels: 3)
        let statistics = ChannelStatistics(mean: [0.5, 0.5, 0.5], deviation: [0.25, 0.25, 0.25])
        for fill in [RandomErasing.Fill.perPixel, .perChannel] {
            let augmentation = Augmentation(randomErasing: RandomErasing(probability: 1, fill: fill))
            let reference = try #require(Array(loader(set, .none, statistics, batchSize: 400).batches(epoch: 0)).first)
            let batch = try #require(Array(loader(set, augmentation, statistics, batchSize: 400).batches(epoch: 0)).first)
            var values: [Double] = []
            var channelsAreUniform = true
            for slot in 0..<batch.count {
                guard let rectangle = ErasedRectangle.draw(augmentation.randomErasing!, imageHeight: 28, imageWidth: 28,
                                                           seed: 11, epoch: 0, index: batch.indices[slot]).first
                else { continue }
                for channel in 0..<3 {
                    let plane = slot * batch.pixelsPerImage + channel * 784
                    let first = batch.pixels[plane + rectangle.top * 28 + rectangle.left]
                    for row in rectangle.top..<(rectangle.top + rectangle.height) {
                        for column in rectangle.left..<(rectangle.left + rectangle.width) {
                            let value = batch.pixels[plane + row * 28 + column]
                            #expect(value != reference.pixels[plane + row * 28 + column])
                            channelsAreUniform = channelsAreUniform && value == first
                        }
                    }
                    values.append(Double(first))
                    if fill == .perPixel {
                        values += (rectangle.top..<(rectangle.top + rectangle.height)).flatMap { row in
                            (rectangle.left + 1..<(rectangle.left + rectangle.width)).map {
                                Double(batch.pixels[plane + row * 28 + $0])
                            }
                        }
                    }
                }
            }
            let mean = values.reduce(0, +) / Double(values.count)
            let deviation = (values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count)).squareRoot()
            let tolerance = fill == .perPixel ? 0.02 : 0.1
            #expect(abs(mean) < tolerance, "\(fill) mean \(mean)")
            #expect(abs(deviation - 1) < tolerance, "\(fill) deviation \(deviation)")
            #expect(channelsAreUniform == (fill == .perChannel))
        }
    }

    @Test func erasingMovesNoCropOrFlipAndIsTheSameForAnyWorkerCount() throws {
        let crop = Augmentation(randomCropPadding: 2, horizontalFlip: true)
        var erasing = crop
        erasing.randomErasing = RandomErasing(probability: 0.5)
        for index in 0..<200 {
            #expect(SampleTransform.draw(augmentation: crop, seed: 5, epoch: 1, index: index)
                    == SampleTransform.draw(augmentation: erasing, seed: 5, epoch: 1, index: index))
        }

        let set = SyntheticImageSet.make(count: 50, height: 8, width: 8)
        let statistics = SyntheticImageSet.unitStatistics()
        let serial = loader(set, erasing, statistics, workers: 0).batches(epoch: 2).map(\.pixels)
        let threaded = loader(set, erasing, statistics, workers: 3).batches(epoch: 2).map(\.pixels)
        #expect(serial == threaded)
        #expect(serial != loader(set, erasing, statistics, workers: 0).batches(epoch: 3).map(\.pixels))
    }

    private func loader(_ set: LabeledImageSet, _ augmentation: Augmentation, _ statistics: ChannelStatistics,
                        batchSize: Int = 16, workers: Int = 0) -> BatchLoader {
        BatchLoader(set: set, batchSize: batchSize, shuffle: true, dropLast: false, augmentation: augmentation,
                    statistics: statistics, seed: 11, workers: workers)
    }
}
