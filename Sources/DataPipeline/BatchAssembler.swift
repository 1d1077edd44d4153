/// Gathers chosen samples of a set into one standardised, augmented NCHW batch.
///
/// Shapes: reads `height × width × channels` bytes per image (HWC) and writes
/// `channels × height × width` floats per image (CHW). Standardisation goes through
/// a 256-entry table per channel holding `(x / 255 − mean[c]) / deviation[c]`, so
/// each output pixel is one table load (exactly the value that formula gives in
/// Float) and padding pixels are the table's entry for 0. Immutable and `Sendable`,
/// so any number of worker threads can share one.
public struct BatchAssembler: BatchMaking {
    let set: LabeledImageSet
    let augmentation: Augmentation
    let seed: UInt64
    /// Mixup/CutMix applied to each whole batch after augmentation, if any.
    let mixing: MixupCutMix?
    /// `channels × 256` standardised values, indexed by `channel × 256 + byte`.
    let table: [Float]

    init(set: LabeledImageSet, statistics: ChannelStatistics, augmentation: Augmentation, seed: UInt64,
         mixing: MixupCutMix? = nil) {
        precondition(
            statistics.channels == set.channels,
            "statistics describe \(statistics.channels) channels but the images have \(set.channels)"
        )
        precondition(statistics.deviation.allSatisfy { $0 > 0 }, "every channel's deviation must be positive")
        var table = [Float](repeating: 0, count: set.channels * 256)
        for channel in 0..<set.channels {
            for value in 0..<256 {
                table[channel * 256 + value] =
                    (Float(value) / 255 - statistics.mean[channel]) / statistics.deviation[channel]
            }
        }
        self.set = set
        self.augmentation = augmentation
        self.seed = seed
        self.mixing = mixing
        self.table = table
    }

    /// The batch of samples `indices`, each transformed by its own draws for `epoch`.
    public func batch(indices: ArraySlice<Int>, epoch: Int, number: Int) -> FloatBatch {
        let count = indices.count
        let floatsPerImage = set.pixelsPerImage
        var pixels = [Float](repeating: 0, count: count * floatsPerImage)
        var labels = [Int32]()
        labels.reserveCapacity(count)
        pixels.withUnsafeMutableBufferPointer { output in
            for (slot, index) in indices.enumerated() {
                let transform = SampleTransform.draw(augmentation: augmentation, seed: seed, epoch: epoch, index: index)
                let image = output.baseAddress! + slot * floatsPerImage
                write(sample: index, transform: transform, into: image)
                erase(sample: index, epoch: epoch, image: image)
            }
        }
        for index in indices {
            labels.append(set.labels[index])
        }
        var batch = FloatBatch(
            count: count, channels: set.channels, height: set.height, width: set.width,
            pixels: pixels, labels: labels, indices: Array(indices)
        )
        if let mixing {
            mixing.apply(to: &batch, classCount: set.classNames.count, seed: seed, epoch: epoch, batchNumber: number)
        }
        return batch
    }

    /// One sample under an explicit transformation, `channels × height × width` floats; lets tests fix the draws.
    func image(sample index: Int, transform: SampleTransform) -> [Float] {
        var output = [Float](repeating: 0, count: set.pixelsPerImage)
        output.withUnsafeMutableBufferPointer { buffer in
            write(sample: index, transform: transform, into: buffer.baseAddress!)
        }
        return output
    }

    /// Applies random erasing, when configured, to sample `index`'s finished CHW image at `image`.
    func erase(sample index: Int, epoch: Int, image: UnsafeMutablePointer<Float>) {
        guard let erasing = augmentation.randomErasing else { return }
        let rectangles = ErasedRectangle.draw(erasing, imageHeight: set.height, imageWidth: set.width,
                                              seed: seed, epoch: epoch, index: index)
        ErasedRectangle.erase(rectangles, in: image, channels: set.channels, imageHeight: set.height,
                              imageWidth: set.width, fill: erasing.fill, seed: seed, epoch: epoch, index: index)
    }

    /// Writes sample `index`, cropped and flipped per `transform`, as CHW floats at `output`.
    ///
    /// Output pixel `(y, x)` of channel `c` reads the padded image at
    /// `(y + rowOffset, x' + columnOffset)`, where `x'` is `x` or its mirror
    /// `width − 1 − x`; that is source pixel `(y + rowOffset − padding, x' + columnOffset − padding)`,
    /// or zero when it falls outside the image.
    private func write(sample index: Int, transform: SampleTransform, into output: UnsafeMutablePointer<Float>) {
        let height = set.height
        let width = set.width
        let channels = set.channels
        let padding = augmentation.randomCropPadding
        let rowShift = transform.rowOffset - padding
        let columnShift = transform.columnOffset - padding
        let flips = transform.flipsHorizontally
        let firstValidColumn = max(0, -columnShift)
        let endValidColumn = min(width, width - columnShift)
        set.pixels.withUnsafeBufferPointer { allPixels in
            table.withUnsafeBufferPointer { allValues in
                let image = allPixels.baseAddress! + index * set.pixelsPerImage
                for channel in 0..<channels {
                    let values = allValues.baseAddress! + channel * 256
                    let zero = values[0]
                    let plane = output + channel * height * width
                    for row in 0..<height {
                        let outputRow = plane + row * width
                        let sourceRowIndex = row + rowShift
                        guard sourceRowIndex >= 0 && sourceRowIndex < height else {
                            outputRow.update(repeating: zero, count: width)
                            continue
                        }
                        let sourceRow = image + sourceRowIndex * width * channels + channel
                        for column in 0..<width {
                            let croppedColumn = flips ? width - 1 - column : column
                            if croppedColumn >= firstValidColumn && croppedColumn < endValidColumn {
                                outputRow[column] = values[Int(sourceRow[(croppedColumn + columnShift) * channels])]
                            } else {
                                outputRow[column] = zero
                            }
                        }
                    }
                }
            }
        }
    }
}
