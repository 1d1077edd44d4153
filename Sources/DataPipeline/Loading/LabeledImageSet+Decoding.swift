import Foundation

extension LabeledImageSet {
    /// Decodes every image of `index` into memory on `threads` threads: small data sets (CIFAR-sized) then train from RAM.
    ///
    /// Shapes: all images must come out `height × width` (after EXIF orientation),
    /// or `resizingTo` brings them there (bilinear, PIL's filter); channels are 3 for
    /// `.rgb` and 1 for `.grey`. Why: decoding 60,000 small JPEGs takes seconds once,
    /// while decoding them again every epoch would cost more than the training step
    /// of a small model; in memory, the loader's padded crop and flip apply as for
    /// Fashion-MNIST. Any unreadable file, a size mismatch or a multi-label index
    /// throws, naming the file. `samples` picks which samples (in that order); all by default.
    public static func decoding(_ index: SampleIndex, samples: [Int]? = nil, colorMode: ImageColorMode = .rgb,
                                resizingTo size: (width: Int, height: Int)? = nil,
                                threads: Int) throws(ImageLoadingError) -> LabeledImageSet {
        let chosen = samples ?? Array(0..<index.count)
        guard !index.isMultiLabel else {
            throw ImageLoadingError(sampleIndex: 0, path: index.count > 0 ? index.locationDescription(at: 0) : "",
                                    reason: "an in-memory image set holds one label per image; this index is multi-label",
                                    consecutiveFailures: 1)
        }
        guard !chosen.isEmpty else {
            return LabeledImageSet(height: 0, width: 0, channels: colorMode == .grey ? 1 : 3, pixels: [], labels: [],
                                   classNames: index.classNames)
        }
        let decoder = ImageDecoder()
        let first = try decode(chosen[0], of: index, colorMode: colorMode, size: size, decoder: decoder)
        let (width, height, channels) = (first.width, first.height, first.channels)
        let imageBytes = width * height * channels
        let buffer = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: chosen.count * imageBytes)
        defer { buffer.deallocate() }
        let failures = FailureCollector()
        let workers = max(1, min(threads, chosen.count))
        let chunk = (chosen.count + workers - 1) / workers
        let start = UInt(bitPattern: buffer.baseAddress!)
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            let decoder = ImageDecoder()
            let base = UnsafeMutablePointer<UInt8>(bitPattern: start)!
            for slot in (worker * chunk)..<min((worker + 1) * chunk, chosen.count) {
                let sample = chosen[slot]
                do throws(ImageLoadingError) {
                    let image = try decode(sample, of: index, colorMode: colorMode, size: size, decoder: decoder)
                    guard image.width == width && image.height == height else {
                        throw ImageLoadingError(
                            sampleIndex: sample, path: index.locationDescription(at: sample),
                            reason: "is \(image.width)×\(image.height) but the first image is \(width)×\(height); "
                                + "an in-memory set needs one size (set an image size to resize)",
                            consecutiveFailures: 1)
                    }
                    image.pixels.withUnsafeBufferPointer { pixels in
                        (base + slot * imageBytes).update(from: pixels.baseAddress!, count: imageBytes)
                    }
                } catch {
                    failures.record(error)
                    return
                }
            }
        }
        if let failure = failures.first { throw failure }
        let labels = chosen.map { index.targets.labels(at: $0).first ?? 0 }
        return LabeledImageSet(height: height, width: width, channels: channels, pixels: Array(buffer), labels: labels,
                               classNames: index.classNames)
    }

    private static func decode(_ sample: Int, of index: SampleIndex, colorMode: ImageColorMode,
                               size: (width: Int, height: Int)?, decoder: ImageDecoder) throws(ImageLoadingError) -> ByteImage {
        let path = index.locationDescription(at: sample)
        do {
            var options = ImageDecodingOptions()
            options.colorMode = colorMode
            let bytes = try index.encodedBytes(at: sample)
            let image = try decoder.decode(bytes, path: path, options: options)
            guard let size, image.width != size.width || image.height != size.height else { return image }
            return image.resized(width: size.width, height: size.height, interpolation: .bilinear)
        } catch let error as SampleReadError {
            throw ImageLoadingError(sampleIndex: sample, path: path, reason: error.description, consecutiveFailures: 1)
        } catch let error as ImageDecodingError {
            throw ImageLoadingError(sampleIndex: sample, path: path, reason: error.reason, consecutiveFailures: 1)
        } catch {
            throw ImageLoadingError(sampleIndex: sample, path: path, reason: "\(error)", consecutiveFailures: 1)
        }
    }
}

/// The lowest-numbered failure among parallel decoders, so the error reported does not depend on thread timing.
private final class FailureCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var failure: ImageLoadingError?

    func record(_ error: ImageLoadingError) {
        lock.withLock {
            if failure == nil || error.sampleIndex < failure!.sampleIndex { failure = error }
        }
    }

    var first: ImageLoadingError? { lock.withLock { failure } }
}
