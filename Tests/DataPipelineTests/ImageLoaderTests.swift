@testable import DataPipeline
import Foundation
import Testing
import TestSupport

/// The image-file loader: exact pixels on the plain path, thread independence, reduced-scale decoding, bad samples, mixing.
struct ImageLoaderTests {
    static let statistics = ChannelStatistics(mean: [0.5, 0.4, 0.3], deviation: [0.2, 0.25, 0.3])

    /// A two-class ImageFolder of the decoder's fixture JPEGs (17×11 and similar), plus `extra` files.
    func fixtureFolder(_ directory: TemporaryDirectory, extra: [String: [UInt8]] = [:]) throws -> SampleIndex {
        let names = ["jpeg_baseline_420", "jpeg_baseline_444", "jpeg_progressive", "jpeg_orientation_6"]
        for (position, name) in names.enumerated() {
            let bytes = try DecodingFixtures.bytes(of: name + ".jpg")
            _ = try directory.makeFiles(["class\(position % 2)/\(name).jpg"], contents: bytes)
        }
        for (path, bytes) in extra { _ = try directory.makeFiles([path], contents: bytes) }
        return try ImageFolder.index(root: directory.url)
    }

    func loader(_ index: SampleIndex, transform: ImageTransform, batchSize: Int = 2, workers: Int = 0,
                policy: BadSamplePolicy = .fail, mixing: MixupCutMix? = nil, reduced: Bool = true,
                sampler: Sampler = Sampler(order: .sequential)) -> ImageLoader {
        let maker = ImageBatchMaker(index: index, transform: transform, statistics: Self.statistics, mixing: mixing,
                                    seed: 11, badSamplePolicy: policy, decodesAtReducedScale: reduced)
        return ImageLoader(maker: maker, batchSize: batchSize, sampler: sampler, dropLast: mixing != nil,
                           workers: workers)
    }

    func all(_ loader: ImageLoader, epoch: Int = 0) throws(ImageLoadingError) -> [FloatBatch] {
        var iterator = loader.batches(epoch: epoch).makeIterator()
        var batches: [FloatBatch] = []
        while let batch = try iterator.nextBatch() { batches.append(batch) }
        return batches
    }

    /// With a plain resize to the stored size, each image is the decoder's output standardised, in sample order.
    @Test func evaluationBatchesHoldTheDecodedImagesStandardised() throws {
        let directory = try TemporaryDirectory()
        let index = try fixtureFolder(directory)
        let decoder = ImageDecoder()
        let first = try decoder.decode(try index.encodedBytes(at: 0), path: "first")
        let transform = ImageTransform(geometry: .resize(width: first.width, height: first.height, interpolation: .bilinear))
        let batches = try all(loader(index, transform: transform, batchSize: 3, reduced: false))
        #expect(batches.map(\.count) == [3, 1])
        #expect(batches.flatMap(\.indices) == [0, 1, 2, 3])
        #expect(batches.flatMap(\.labels) == [0, 0, 1, 1])
        let expected = ImageStandardizer(statistics: Self.statistics).standardized(first)
        #expect(Array(batches[0].pixels.prefix(expected.count)) == expected)
    }

    @Test func batchesAreIdenticalForAnyWorkerCount() throws {
        let directory = try TemporaryDirectory()
        let index = try fixtureFolder(directory)
        var transform = ImageTransform(geometry: .randomResizedCrop(RandomResizedCrop(size: 8)), horizontalFlip: true,
                                       colorJitter: ColorJitter(brightness: 0.4, contrast: 0.4, saturation: 0.4))
        transform.randomErasing = RandomErasing(probability: 0.5)
        let shuffled = Sampler(order: .shuffled)
        let serial = try all(loader(index, transform: transform, workers: 0, sampler: shuffled), epoch: 3)
        let threaded = try all(loader(index, transform: transform, workers: 3, sampler: shuffled), epoch: 3)
        #expect(serial == threaded)
        #expect(serial != (try all(loader(index, transform: transform, workers: 0, sampler: shuffled), epoch: 4)))
        #expect(serial.allSatisfy { $0.pixels.allSatisfy(\.isFinite) && $0.width == 8 && $0.height == 8 })
    }

    /// A 1/2-scale decode of a crop that still has enough pixels stays close to the full-scale result.
    @Test func reducedScaleDecodingStaysCloseToTheFullScaleCrop() throws {
        let directory = try TemporaryDirectory()
        let index = try fixtureFolder(directory)
        let transform = ImageTransform(geometry: .randomResizedCrop(RandomResizedCrop(size: 4, scale: 0.9...1)))
        let full = try all(loader(index, transform: transform, batchSize: 4, reduced: false))[0]
        let reduced = try all(loader(index, transform: transform, batchSize: 4, reduced: true))[0]
        let difference = zip(full.pixels, reduced.pixels).map { abs($0 - $1) }.reduce(0, +) / Float(full.pixels.count)
        #expect(full.pixels != reduced.pixels, "a 4-pixel crop of a 17×11 picture should decode at reduced scale")
        #expect(difference < 0.25, "mean difference \(difference) standard deviations")
    }

    @Test func aBadFileStopsTheLoaderWithItsNameUnderFail() throws {
        let directory = try TemporaryDirectory()
        let truncated = Array(try DecodingFixtures.bytes(of: "jpeg_baseline_420.jpg").prefix(200))
        let index = try fixtureFolder(directory, extra: ["class0/zz_truncated.jpg": truncated])
        let transform = ImageTransform(geometry: .resize(width: 6, height: 6, interpolation: .bilinear))
        do {
            _ = try all(loader(index, transform: transform, batchSize: 5, workers: 2))
            Issue.record("a truncated JPEG loaded")
        } catch {
            #expect(error.path.hasSuffix("class0/zz_truncated.jpg"))
            #expect(error.consecutiveFailures == 1)
            #expect(error.description.contains("zz_truncated.jpg"))
        }
    }

    @Test func skippingReplacesABadFileWithTheNextSampleAndRecordsIt() throws {
        let directory = try TemporaryDirectory()
        let index = try fixtureFolder(directory, extra: ["class0/zz_empty.jpg": []])
        let transform = ImageTransform(geometry: .resize(width: 6, height: 6, interpolation: .bilinear))
        let skipping = loader(index, transform: transform, batchSize: 5, policy: .skip(maximumConsecutive: 3))
        let batch = try #require(try all(skipping).first)
        let bad = try #require((0..<index.count).first { index.locationDescription(at: $0).hasSuffix("zz_empty.jpg") })
        #expect(batch.count == 5)
        #expect(!batch.indices.contains(bad))
        #expect(batch.indices[bad] == (bad + 1) % index.count)
        let skipped = skipping.maker.skippedSamples.skipped
        #expect(skipped.map(\.sampleIndex) == [bad])
        #expect(skipped.first?.path.hasSuffix("zz_empty.jpg") == true)
    }

    @Test func skippingStillStopsAfterTooManyConsecutiveFailures() throws {
        let directory = try TemporaryDirectory()
        _ = try directory.makeFiles(["a/1.jpg", "a/2.jpg", "a/3.jpg", "b/4.jpg"], contents: [0xFF, 0xD8, 0xFF, 0x00])
        let index = try ImageFolder.index(root: directory.url)
        let transform = ImageTransform(geometry: .resize(width: 6, height: 6, interpolation: .bilinear))
        do {
            _ = try all(loader(index, transform: transform, batchSize: 4, policy: .skip(maximumConsecutive: 3)))
            Issue.record("a folder of broken files loaded")
        } catch {
            #expect(error.consecutiveFailures == 3)
        }
    }

    @Test func mixingGivesSoftTargetsOverTheDataSetsClasses() throws {
        let directory = try TemporaryDirectory()
        let index = try fixtureFolder(directory)
        let transform = ImageTransform(geometry: .resize(width: 6, height: 6, interpolation: .bilinear))
        let batches = try all(loader(index, transform: transform, batchSize: 4, mixing: MixupCutMix(mixupAlpha: 1)))
        let targets = try #require(batches.first?.softTargets)
        #expect(targets.count == 4 * 2)
        for row in 0..<4 { #expect(abs(targets[2 * row] + targets[2 * row + 1] - 1) < 1e-6) }
    }
}

/// The loader on the real CIFAR-10 JPEG ImageFolder (skipped when the shared archive is absent).
@Suite(.enabled(if: SharedDatasets.hasCIFAR10JPEG, "needs \(SharedDatasets.cifar10JPEGArchiveName)"))
struct CIFAR10ImageLoaderTests {
    @Test func realJPEGsLoadWithTheirLabelsAtTrainingAugmentation() throws {
        let root = try SharedDatasets.cifar10JPEGRoot.get()
        let index = try ImageFolder.index(root: root.appendingPathComponent("test"))
        var transform = ImageTransform.training(size: 32)
        transform.colorJitter = ColorJitter(brightness: 0.4, contrast: 0.4, saturation: 0.4)
        let maker = ImageBatchMaker(index: index, transform: transform, statistics: ImageLoaderTests.statistics,
                                    mixing: nil, seed: 1, badSamplePolicy: .fail)
        let loader = ImageLoader(maker: maker, batchSize: 100, sampler: Sampler(order: .shuffled), dropLast: true,
                                 workers: 2)
        var iterator = loader.batches(epoch: 0).makeIterator()
        let batch = try #require(try iterator.nextBatch())
        #expect(batch.count == 100 && batch.channels == 3 && batch.height == 32 && batch.width == 32)
        #expect(batch.labels == batch.indices.map { index.targets.labels(at: $0).first! })
        #expect(Set(batch.labels).count > 5)
        let mean = batch.pixels.reduce(0, +) / Float(batch.pixels.count)
        #expect(abs(mean) < 1.5 && batch.pixels.allSatisfy(\.isFinite))
    }
}
