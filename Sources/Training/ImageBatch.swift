import TensorCore

/// A batch of images ready for the model: standardised float32 NCHW pixels and their labels.
public struct ImageBatch {
    public let images: Tensor
    public let labels: [Int32]

    public init(images: Tensor, labels: [Int32]) {
        precondition(images.shape[0] == labels.count, "\(labels.count) labels for \(images.shape[0]) images")
        self.images = images
        self.labels = labels
    }

    /// Gathers `indices` of a greyscale/colour byte image set into a standardised batch.
    ///
    /// Shapes: `pixels` is N×H×W×C bytes (HWC per image); the batch is [n, C, H, W]
    /// with (x / 255 − mean[c]) / deviation[c].
    public static func gather(indices: ArraySlice<Int>, pixels: [UInt8], labels: [Int32], height: Int, width: Int,
                              channels: Int, mean: [Float], deviation: [Float]) -> ImageBatch {
        let plane = height * width
        let perImage = plane * channels
        var scalars = [Float](repeating: 0, count: indices.count * perImage)
        var batchLabels: [Int32] = []
        batchLabels.reserveCapacity(indices.count)
        pixels.withUnsafeBufferPointer { source in
            scalars.withUnsafeMutableBufferPointer { destination in
                for (row, index) in indices.enumerated() {
                    let sourceBase = index * perImage
                    let destinationBase = row * perImage
                    for position in 0..<plane {
                        for channel in 0..<channels {
                            let value = Float(source[sourceBase + position * channels + channel]) / 255
                            destination[destinationBase + channel * plane + position] =
                                (value - mean[channel]) / deviation[channel]
                        }
                    }
                }
            }
        }
        for index in indices { batchLabels.append(labels[index]) }
        return ImageBatch(images: Tensor(shape: [indices.count, channels, height, width], scalars: scalars),
                          labels: batchLabels)
    }
}
