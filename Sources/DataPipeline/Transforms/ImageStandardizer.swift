/// torchvision's `ToTensor` then `Normalize(mean, std)`: an 8-bit HWC image written as standardised CHW floats.
///
/// Shapes: a `height × width × channels` `ByteImage` in, `channels × height × width`
/// floats out, value `(x / 255 − mean[c]) / deviation[c]` computed in `Float` in
/// that order, which is torchvision's float32 arithmetic exactly. Each channel's
/// 256 possible values are tabulated once, so a pixel costs one load. PCA lighting
/// offsets, when given, are added after the division by 255 and before the mean
/// is subtracted, where fb.resnet.torch applies them, by tabulating
/// `(x / 255 + offset[c] − mean[c]) / deviation[c]` for that image.
public struct ImageStandardizer: Sendable, Equatable {
    /// The per-channel mean and deviation, on the `[0, 1]` scale.
    public let statistics: ChannelStatistics
    /// `channels × 256` standardised values, indexed by `channel × 256 + byte`.
    private let table: [Float]

    /// A standardiser for images with `statistics.channels` channels.
    ///
    /// - Precondition: every deviation is positive.
    public init(statistics: ChannelStatistics) {
        precondition(statistics.deviation.allSatisfy { $0 > 0 }, "every channel's deviation must be positive")
        self.statistics = statistics
        self.table = Self.table(statistics: statistics, offsets: nil)
    }

    /// ImageNet's published statistics (timm's `IMAGENET_DEFAULT_MEAN` and `IMAGENET_DEFAULT_STD`).
    public static let imageNet = ImageStandardizer(
        statistics: ChannelStatistics(mean: [0.485, 0.456, 0.406], deviation: [0.229, 0.224, 0.225]))

    /// `image` standardised into a new CHW array, with lighting `offsets` when given.
    ///
    /// - Precondition: as for `write(_:lightingOffsets:into:)`.
    public func standardized(_ image: ByteImage, lightingOffsets offsets: [Float]? = nil) -> [Float] {
        var output = [Float](repeating: 0, count: image.pixels.count)
        output.withUnsafeMutableBufferPointer { write(image, lightingOffsets: offsets, into: $0.baseAddress!) }
        return output
    }

    /// Writes `image` standardised as CHW floats at `output`, with lighting `offsets` when given.
    ///
    /// - Precondition: the image has `statistics.channels` channels, `offsets` (if
    ///   any) one value per channel, and `output` room for `image.pixels.count` floats.
    public func write(_ image: ByteImage, lightingOffsets offsets: [Float]? = nil, into output: UnsafeMutablePointer<Float>) {
        let channels = statistics.channels
        precondition(image.channels == channels, "the standardiser expects \(channels) channels, got \(image.channels)")
        precondition(offsets.map { $0.count == channels } ?? true, "lighting needs one offset per channel")
        let values = offsets.map { Self.table(statistics: statistics, offsets: $0) } ?? table
        let plane = image.width * image.height
        image.pixels.withUnsafeBufferPointer { pixels in
            values.withUnsafeBufferPointer { values in
                if channels == 3 {
                    // One pass over the interleaved bytes, writing the three planes side by side.
                    let (red, green, blue) = (values.baseAddress!, values.baseAddress! + 256, values.baseAddress! + 512)
                    let (first, second, third) = (output, output + plane, output + 2 * plane)
                    var pixel = pixels.baseAddress!
                    for position in 0..<plane {
                        first[position] = red[Int(pixel[0])]
                        second[position] = green[Int(pixel[1])]
                        third[position] = blue[Int(pixel[2])]
                        pixel += 3
                    }
                    return
                }
                for channel in 0..<channels {
                    let channelValues = values.baseAddress! + channel * 256
                    let destination = output + channel * plane
                    for position in 0..<plane {
                        destination[position] = channelValues[Int(pixels[position * channels + channel])]
                    }
                }
            }
        }
    }

    /// The standardised value of every byte of every channel, shifted by `offsets` when given.
    private static func table(statistics: ChannelStatistics, offsets: [Float]?) -> [Float] {
        var table = [Float](repeating: 0, count: statistics.channels * 256)
        for channel in 0..<statistics.channels {
            let mean = statistics.mean[channel]
            let deviation = statistics.deviation[channel]
            for value in 0..<256 {
                let scaled = Float(value) / 255
                let lit = offsets.map { scaled + $0[channel] } ?? scaled
                table[channel * 256 + value] = (lit - mean) / deviation
            }
        }
        return table
    }
}
