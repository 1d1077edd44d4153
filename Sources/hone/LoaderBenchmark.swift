import ArgumentParser
import CPUBackend
import DataPipeline
import Foundation

/// `hone bench loader`: images/s of the training input pipeline on one core, the figure the PyTorch loader peer reports.
///
/// Runs decode + RandomResizedCrop + horizontal flip + standardisation (ImageNet
/// statistics) over an ImageFolder on the calling thread only, so the figure is
/// per core, and reports the median of several passes. The files are read from
/// disk each pass (the page cache holds them after the first), where the peer
/// reads them into memory first, so the comparison slightly favours the peer. The
/// heap is set up as `hone train` sets it up (large buffers kept in malloc's heap).
struct LoaderBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "loader",
        abstract: "Images/s per core of decode + RandomResizedCrop + flip + normalize over an ImageFolder."
    )

    @Option(help: "ImageFolder root (e.g. made by benchmarks/make_loader_images.py).")
    var data = FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache/hone/loader-bench").path
    @Option(help: "Output side of the random resized crop.") var size = 224
    @Option(help: "Images per batch.") var batch = 64
    @Option(help: "Images per timed pass (the first N of the folder; all when absent).") var limit: Int?
    @Option(help: "Timed passes; the median is reported.") var repeats = 3
    @Flag(help: "Decode every JPEG at full scale (turns off DCT-domain downscaling).") var fullScale = false
    @Flag(help: "Print one JSON object instead of text.") var json = false

    func run() throws {
        CPUBackend.keepLargeBuffersInTheHeap()
        let root = URL(fileURLWithPath: data, isDirectory: true)
        let index: SampleIndex
        do {
            index = try ImageFolder.index(root: root)
        } catch {
            throw ValidationError("--data \(data): \(error)")
        }
        let imageCount = min(limit ?? index.count, index.count)
        guard imageCount >= batch else {
            throw ValidationError("--data \(data) has \(index.count) images; a pass needs at least one batch of \(batch)")
        }
        let maker = ImageBatchMaker(index: index, transform: .training(size: size),
                                    statistics: ChannelStatistics(mean: [0.485, 0.456, 0.406],
                                                                  deviation: [0.229, 0.224, 0.225]),
                                    mixing: nil, seed: 0, badSamplePolicy: .fail, decodesAtReducedScale: !fullScale)
        let order = Array(0..<imageCount)
        func pass() throws -> Double {
            let start = DispatchTime.now().uptimeNanoseconds
            var first = 0
            var number = 0
            while first + batch <= imageCount {
                _ = try maker.batch(indices: order[first..<(first + batch)], epoch: 0, number: number)
                first += batch
                number += 1
            }
            return Double(first) / (Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        _ = try maker.batch(indices: order[0..<batch], epoch: 0, number: 0)
        let rates = try (0..<repeats).map { _ in try pass() }.sorted()
        let median = rates[rates.count / 2]
        let images = imageCount / batch * batch
        if json {
            print(#"{"config": "hone", "images_per_second": \#(String(format: "%.1f", median)), "#
                  + #""ms_per_image": \#(String(format: "%.3f", 1000 / median)), "images": \#(images), "#
                  + #""threads": 1, "size": \#(size), "reduced_scale_decoding": \#(!fullScale)}"#)
        } else {
            print(String(format: "loader: %.1f img/s per core (%.3f ms/image), median of %d passes over %d images, "
                         + "%d px crops, %@", median, 1000 / median, repeats, images, size,
                         fullScale ? "full-scale decoding" : "DCT-domain downscaling where the crop allows"))
        }
    }
}
