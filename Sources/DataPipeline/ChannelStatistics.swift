/// The mean and population standard deviation of each channel, on pixels scaled to [0, 1].
///
/// Shapes: `mean` and `deviation` each hold one value per channel of the set.
/// A loader standardises every pixel as `(x / 255 − mean[c]) / deviation[c]`; the
/// statistics come from the training split and are reused on the test split, so
/// both see the same input scale (Fashion-MNIST: mean ≈ 0.2860, deviation ≈ 0.3530).
public struct ChannelStatistics: Sendable, Equatable {
    /// The mean of each channel, in [0, 1].
    public var mean: [Float]
    /// The population standard deviation of each channel.
    public var deviation: [Float]

    /// Wraps known statistics, such as ImageNet's published ones.
    ///
    /// - Precondition: one mean and one positive deviation per channel.
    public init(mean: [Float], deviation: [Float]) {
        precondition(mean.count == deviation.count, "\(mean.count) means but \(deviation.count) deviations")
        self.mean = mean
        self.deviation = deviation
    }

    /// Number of channels described.
    public var channels: Int { mean.count }

    /// Measures each channel over every pixel of every image in `set`.
    ///
    /// Counts how often each byte value occurs per channel, then forms the sums
    /// in Float64 from those exact counts, so the result does not depend on the
    /// order of summation and loses nothing on 47 million pixels.
    ///
    /// - Precondition: `set` holds at least one pixel.
    public static func measure(_ set: LabeledImageSet) -> ChannelStatistics {
        let channels = set.channels
        let pixelsPerChannel = set.count * set.height * set.width
        precondition(pixelsPerChannel > 0, "cannot measure the statistics of an empty image set")
        var histogram = [Int](repeating: 0, count: channels * 256)
        histogram.withUnsafeMutableBufferPointer { counts in
            set.pixels.withUnsafeBufferPointer { pixels in
                if channels == 1 {
                    for value in pixels {
                        counts[Int(value)] += 1
                    }
                } else {
                    var channel = 0
                    for value in pixels {
                        counts[channel &* 256 &+ Int(value)] += 1
                        channel += 1
                        if channel == channels { channel = 0 }
                    }
                }
            }
        }
        var mean = [Float]()
        var deviation = [Float]()
        for channel in 0..<channels {
            var sum = 0.0
            var sumOfSquares = 0.0
            for value in 0..<256 {
                let scaled = Double(value) / 255
                let occurrences = Double(histogram[channel * 256 + value])
                sum += occurrences * scaled
                sumOfSquares += occurrences * scaled * scaled
            }
            let channelMean = sum / Double(pixelsPerChannel)
            let variance = max(0, sumOfSquares / Double(pixelsPerChannel) - channelMean * channelMean)
            mean.append(Float(channelMean))
            deviation.append(Float(variance.squareRoot()))
        }
        return ChannelStatistics(mean: mean, deviation: deviation)
    }
}
