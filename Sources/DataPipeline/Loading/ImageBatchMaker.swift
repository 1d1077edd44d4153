import Foundation

/// Reads, decodes and transforms the images of a batch, then mixes the batch: the work a loader's threads share.
///
/// Shapes: `batch(indices:epoch:number:)` returns `indices.count` images of
/// `channels × transform.outputHeight × transform.outputWidth` floats (NCHW), with
/// each image's first label, and soft targets when mixing or multi-label targets
/// make them. Why it works this way:
/// - JPEGs are decoded at 1/2, 1/4 or 1/8 scale in the DCT when the crop still
///   has at least as many pixels as the output needs: the header is probed first
///   (cheap), the crop window is drawn on the full-size picture so the draw does
///   not depend on the scale, and the window is then mapped onto the smaller
///   picture. At full scale the crop is torchvision's `resized_crop` exactly.
/// - Of a JPEG under `RandomResizedCrop` only the window is decoded (with the
///   margin the resize filter reads at reduced scale): rows below it are never
///   decoded and rows above it only entropy-decoded. The decoded pixels are the
///   whole decode's, so the batches are identical with `decodesOnlyTheCropWindow`
///   on or off; on is faster, by about the share of the picture a crop leaves out.
/// - A bad sample either stops the batch with its name (`fail`) or is replaced by
///   the next sample of the data set (`skip`), so a batch is still a function of
///   (seed, epoch, batch number) alone.
/// - One decoder per batch call, so worker threads never share a TurboJPEG handle.
public struct ImageBatchMaker: BatchMaking {
    /// The data set being read.
    public let index: SampleIndex
    /// What happens to each image.
    public let transform: ImageTransform
    /// Per-channel mean and deviation for standardisation.
    public let statistics: ChannelStatistics
    /// Mixup/CutMix applied to each whole batch, if any.
    public let mixing: MixupCutMix?
    /// The seed every draw is keyed by.
    public let seed: UInt64
    /// What to do with unreadable samples.
    public let badSamplePolicy: BadSamplePolicy
    /// Whether JPEGs may be decoded at reduced scale when the crop allows it.
    public let decodesAtReducedScale: Bool
    /// Whether a random crop decodes only its window of a JPEG rather than the whole picture.
    public let decodesOnlyTheCropWindow: Bool
    /// Where skipped samples are recorded.
    public let skippedSamples: SkippedSampleLog
    let standardizer: ImageStandardizer
    let colorMode: ImageColorMode

    /// Configures the maker.
    ///
    /// - Precondition: `statistics` has 1 or 3 channels (grey or RGB decoding);
    ///   mixing needs single-label targets.
    public init(index: SampleIndex, transform: ImageTransform, statistics: ChannelStatistics, mixing: MixupCutMix?,
                seed: UInt64, badSamplePolicy: BadSamplePolicy, decodesAtReducedScale: Bool = true,
                decodesOnlyTheCropWindow: Bool = true, skippedSamples: SkippedSampleLog = SkippedSampleLog()) {
        precondition(statistics.channels == 1 || statistics.channels == 3,
                     "images decode to 1 (grey) or 3 (RGB) channels, the statistics have \(statistics.channels)")
        precondition(mixing == nil || !index.isMultiLabel, "mixup and CutMix mix single-label targets only")
        self.index = index
        self.transform = transform
        self.statistics = statistics
        self.mixing = mixing
        self.seed = seed
        self.badSamplePolicy = badSamplePolicy
        self.decodesAtReducedScale = decodesAtReducedScale
        self.decodesOnlyTheCropWindow = decodesOnlyTheCropWindow
        self.skippedSamples = skippedSamples
        standardizer = ImageStandardizer(statistics: statistics)
        colorMode = statistics.channels == 1 ? .grey : .rgb
    }

    /// Channels of every output image.
    public var channels: Int { statistics.channels }

    public func batch(indices: ArraySlice<Int>, epoch: Int, number: Int) throws(ImageLoadingError) -> FloatBatch {
        let (width, height) = (transform.outputWidth, transform.outputHeight)
        let imageSize = channels * height * width
        let decoder = ImageDecoder()
        var used: [Int] = []
        used.reserveCapacity(indices.count)
        var failure: ImageLoadingError?
        // Every float is written by the standardiser, so the batch is not zero-filled first.
        let pixels = [Float](unsafeUninitializedCapacity: indices.count * imageSize) { buffer, initializedCount in
            for (slot, sample) in indices.enumerated() {
                let source: Int
                let image: ByteImage
                do throws(ImageLoadingError) {
                    (source, image) = try loadReplacingBadSamples(sample, epoch: epoch, decoder: decoder)
                } catch {
                    failure = error
                    return
                }
                let output = buffer.baseAddress! + slot * imageSize
                standardizer.write(image, lightingOffsets: transform.lighting?.offsets(seed: seed, epoch: epoch, index: source),
                                   into: output)
                if let erasing = transform.randomErasing {
                    let rectangles = ErasedRectangle.draw(erasing, imageHeight: height, imageWidth: width,
                                                          seed: seed, epoch: epoch, index: source)
                    ErasedRectangle.erase(rectangles, in: output, channels: channels, imageHeight: height,
                                          imageWidth: width, fill: erasing.fill, seed: seed, epoch: epoch, index: source)
                }
                used.append(source)
            }
            initializedCount = indices.count * imageSize
        }
        if let failure { throw failure }
        var batch = FloatBatch(count: indices.count, channels: channels, height: height, width: width, pixels: pixels,
                               labels: used.map { index.targets.labels(at: $0).first ?? 0 }, indices: used)
        if index.isMultiLabel {
            batch.softTargets = multiHotTargets(of: used)
        }
        if let mixing {
            mixing.apply(to: &batch, classCount: index.classNames.count, seed: seed, epoch: epoch, batchNumber: number)
        }
        return batch
    }

    /// Sample `sample` transformed, or under `skip` the first readable sample after it; returns which sample was used.
    func loadReplacingBadSamples(_ sample: Int, epoch: Int,
                                 decoder: ImageDecoder) throws(ImageLoadingError) -> (Int, ByteImage) {
        var candidate = sample
        var failures = 0
        while true {
            do {
                return (candidate, try load(candidate, epoch: epoch, decoder: decoder))
            } catch {
                failures += 1
                guard case .skip(let maximumConsecutive) = badSamplePolicy, failures < maximumConsecutive else {
                    throw ImageLoadingError(sampleIndex: candidate, path: error.path, reason: error.reason,
                                            consecutiveFailures: failures)
                }
                skippedSamples.record(.init(sampleIndex: candidate, path: error.path, reason: error.reason))
                candidate = (candidate + 1) % index.count
            }
        }
    }

    /// Reads, decodes and transforms one sample with its own draws for `epoch`.
    func load(_ sample: Int, epoch: Int, decoder: ImageDecoder) throws(SampleFailure) -> ByteImage {
        let path = index.locationDescription(at: sample)
        let bytes: [UInt8]
        do {
            bytes = try index.encodedBytes(at: sample)
        } catch {
            throw SampleFailure(path: path, reason: error.description)
        }
        var image: ByteImage
        do {
            image = try decodeAndFrame(bytes, path: path, sample: sample, epoch: epoch, decoder: decoder)
        } catch {
            throw SampleFailure(path: path, reason: error.description)
        }
        if transform.horizontalFlip {
            var generator = CounterRandomGenerator(seed: seed, epoch: epoch, stream: .horizontalFlip, index: sample)
            if generator.coin() { image = image.horizontallyFlipped() }
        }
        if let augmentation = transform.automaticAugmentation {
            image = augmentation.apply(to: image, seed: seed, epoch: epoch, index: sample)
        }
        if let jitter = transform.colorJitter { image = jitter.apply(to: image, seed: seed, epoch: epoch, index: sample) }
        if let grayscale = transform.grayscale {
            image = grayscale.apply(to: image, seed: seed, epoch: epoch, index: sample)
        }
        if let blur = transform.gaussianBlur { image = blur.apply(to: image, seed: seed, epoch: epoch, index: sample) }
        return image
    }

    /// Decodes `bytes` (at reduced scale where allowed) and applies the geometry.
    func decodeAndFrame(_ bytes: [UInt8], path: String, sample: Int, epoch: Int,
                        decoder: ImageDecoder) throws(ImageDecodingError) -> ByteImage {
        var options = ImageDecodingOptions()
        options.colorMode = colorMode
        switch transform.geometry {
        case .randomResizedCrop(let crop):
            let header = try ImageHeader.probe(bytes, path: path)
            let (fullWidth, fullHeight) = (header.displayedWidth, header.displayedHeight)
            guard fullWidth > 0 && fullHeight > 0 else {
                throw ImageDecodingError(path: path, format: header.format, category: .corrupt, reason: "the image is empty")
            }
            let window = crop.window(imageWidth: fullWidth, imageHeight: fullHeight, seed: seed, epoch: epoch, index: sample)
            if decodesAtReducedScale {
                options.minimumSize = .atLeast(
                    width: min(fullWidth, (fullWidth * crop.outputWidth + window.width - 1) / window.width),
                    height: min(fullHeight, (fullHeight * crop.outputHeight + window.height - 1) / window.height))
            }
            let decoded = ImageDecoder.decodedSize(of: header, options: options)
            if decoded.width == fullWidth && decoded.height == fullHeight {
                let image = decodesOnlyTheCropWindow
                    ? try decoder.decode(bytes, path: path, options: options, region: window, placement: .inPlace)
                    : try decoder.decode(bytes, path: path, options: options)
                return crop.apply(to: image, window: window)
            }
            let (scaleX, scaleY) = (Float(decoded.width) / Float(fullWidth), Float(decoded.height) / Float(fullHeight))
            let box = ResizeBox(left: Float(window.left) * scaleX, top: Float(window.top) * scaleY,
                                right: Float(window.left + window.width) * scaleX,
                                bottom: Float(window.top + window.height) * scaleY)
            let image: ByteImage
            if decodesOnlyTheCropWindow {
                let read = box.sourceWindow(imageWidth: decoded.width, imageHeight: decoded.height,
                                            outputWidth: crop.outputWidth, outputHeight: crop.outputHeight,
                                            interpolation: crop.interpolation)
                image = try decoder.decode(bytes, path: path, options: options, region: read, placement: .inPlace)
            } else {
                image = try decoder.decode(bytes, path: path, options: options)
            }
            return image.resized(width: crop.outputWidth, height: crop.outputHeight, interpolation: crop.interpolation,
                                 box: box)
        case .resizeAndCenterCrop(let crop):
            if decodesAtReducedScale { options.minimumSize = .shorterSideAtLeast(crop.resizedShorterSide) }
            return crop.apply(to: try decoder.decode(bytes, path: path, options: options))
        case .resize(let width, let height, let interpolation):
            if decodesAtReducedScale { options.minimumSize = .atLeast(width: width, height: height) }
            let image = try decoder.decode(bytes, path: path, options: options)
            if image.width == width && image.height == height { return image }
            return image.resized(width: width, height: height, interpolation: interpolation)
        }
    }

    /// Multi-hot rows for multi-label samples: 1 for each of a sample's labels, `count × classes`.
    func multiHotTargets(of samples: [Int]) -> [Float] {
        let classes = index.classNames.count
        var targets = [Float](repeating: 0, count: samples.count * classes)
        for (row, sample) in samples.enumerated() {
            for label in index.targets.labels(at: sample) { targets[row * classes + Int(label)] = 1 }
        }
        return targets
    }
}

/// One sample's read or decode failure, before the bad-sample policy decides what it means.
struct SampleFailure: Error {
    let path: String
    let reason: String
}
