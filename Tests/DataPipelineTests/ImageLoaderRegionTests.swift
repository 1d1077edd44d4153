@testable import DataPipeline
import Foundation
import Testing
import TestSupport

/// Decoding only the crop window in the loader: the batches are byte-identical to decoding whole pictures.
struct ImageLoaderRegionTests {
    /// An ImageFolder of the region fixtures (131 × 97, every JPEG layout, one rotated) and two small rotated ones.
    func regionFolder(_ directory: TemporaryDirectory) throws -> SampleIndex {
        for (position, name) in DecodingRegionTests.layouts.enumerated() {
            _ = try directory.makeFiles(["class\(position % 2)/\(name).jpg"],
                                        contents: try DecodingRegionTests.regionFixture(name))
        }
        for name in ["jpeg_orientation_3", "jpeg_orientation_8", "jpeg_cmyk"] {
            _ = try directory.makeFiles(["class1/\(name).jpg"], contents: try DecodingFixtures.bytes(of: name + ".jpg"))
        }
        return try ImageFolder.index(root: directory.url)
    }

    /// Every batch of two epochs, decoding crop windows only or whole pictures.
    func batches(_ index: SampleIndex, crop: RandomResizedCrop, reducedScale: Bool, windowOnly: Bool,
                 statistics: ChannelStatistics) throws -> [FloatBatch] {
        let transform = ImageTransform(geometry: .randomResizedCrop(crop), horizontalFlip: true)
        let maker = ImageBatchMaker(index: index, transform: transform, statistics: statistics, mixing: nil, seed: 5,
                                    badSamplePolicy: .fail, decodesAtReducedScale: reducedScale,
                                    decodesOnlyTheCropWindow: windowOnly)
        let loader = ImageLoader(maker: maker, batchSize: 4, sampler: Sampler(order: .shuffled), dropLast: false,
                                 workers: 0)
        var batches: [FloatBatch] = []
        for epoch in 0..<2 {
            var iterator = loader.batches(epoch: epoch).makeIterator()
            while let batch = try iterator.nextBatch() { batches.append(batch) }
        }
        return batches
    }

    /// Output sizes from 8 (every crop decodes at reduced scale) to 96 (most at full scale), with each filter,
    /// so both the cropped-window path and the in-place path with the filter's margin are compared.
    @Test(arguments: [Interpolation.bilinear, .bicubic, .nearest])
    func windowOnlyBatchesEqualWholePictureBatches(interpolation: Interpolation) throws {
        let directory = try TemporaryDirectory()
        let index = try regionFolder(directory)
        for size in [8, 24, 96] {
            let crop = RandomResizedCrop(size: size, interpolation: interpolation)
            for reducedScale in [true, false] {
                let whole = try batches(index, crop: crop, reducedScale: reducedScale, windowOnly: false,
                                        statistics: ImageLoaderTests.statistics)
                let windows = try batches(index, crop: crop, reducedScale: reducedScale, windowOnly: true,
                                          statistics: ImageLoaderTests.statistics)
                #expect(windows == whole, "size \(size), \(interpolation), reduced scale \(reducedScale)")
            }
        }
    }

    @Test func greyWindowOnlyBatchesEqualWholePictureBatches() throws {
        let directory = try TemporaryDirectory()
        let index = try regionFolder(directory)
        let grey = ChannelStatistics(mean: [0.5], deviation: [0.25])
        for size in [12, 64] {
            let crop = RandomResizedCrop(size: size)
            let whole = try batches(index, crop: crop, reducedScale: true, windowOnly: false, statistics: grey)
            let windows = try batches(index, crop: crop, reducedScale: true, windowOnly: true, statistics: grey)
            #expect(windows == whole, "size \(size)")
        }
    }

    /// The margin a resize with a box reads covers every source position PIL's weights touch.
    @Test(arguments: [Interpolation.bilinear, .bicubic])
    func theSourceWindowCoversEveryPixelTheResizeReads(interpolation: Interpolation) throws {
        let kernel = try #require(ResampleWeights.Kernel(interpolation))
        var generator = CounterRandomGenerator(seed: 9, epoch: 0, stream: .resizedCrop, index: 0)
        for _ in 0..<200 {
            let inputSize = 20 + generator.uniform(below: 300)
            let start = Float(generator.uniform(0, Double(inputSize - 2)))
            let end = min(start + Float(generator.uniform(0.5, Double(inputSize))), Float(inputSize))
            let outputSize = 1 + generator.uniform(below: 250)
            let box = ResizeBox(left: start, top: 0, right: end, bottom: 1)
            let window = box.sourceWindow(imageWidth: inputSize, imageHeight: 1, outputWidth: outputSize,
                                          outputHeight: 1, interpolation: interpolation)
            let weights = ResampleWeights(inputSize: inputSize, start: start, end: end, outputSize: outputSize,
                                          kernel: kernel)
            let read = zip(weights.first, weights.count).filter { $0.1 > 0 }
            let lowest = read.map(\.0).min() ?? 0
            let highest = read.map { $0.0 + $0.1 }.max() ?? 0
            #expect(window.left <= lowest && highest <= window.left + window.width,
                    "box \(start)..<\(end) of \(inputSize) to \(outputSize): reads \(lowest)..<\(highest), window \(window)")
        }
    }
}
