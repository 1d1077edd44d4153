/// torchvision's `RandomGrayscale(p)`: with probability `p`, replace an image by its grey version, channels kept.
///
/// Shapes: an RGB image becomes three equal channels of PIL's luma; a grey image
/// stays as it is. The decision is one uniform draw from the sample's own stream.
public struct RandomGrayscale: Sendable, Equatable {
    /// Chance that an image is turned grey.
    public var probability: Double

    /// Random grayscale that turns an image grey with chance `probability`.
    ///
    /// - Precondition: `probability` is in `0...1`.
    public init(probability: Double) {
        precondition((0...1).contains(probability), "a grayscale probability must be in 0...1, got \(probability)")
        self.probability = probability
    }

    /// Whether sample `index` is turned grey in `epoch`.
    public func applies(seed: UInt64, epoch: Int, index: Int) -> Bool {
        var generator = CounterRandomGenerator(seed: seed, epoch: epoch, stream: .grayscale, index: index)
        return generator.unitInterval() < probability
    }

    /// Sample `index`'s `image` in `epoch`: grey or unchanged.
    public func apply(to image: ByteImage, seed: UInt64, epoch: Int, index: Int) -> ByteImage {
        applies(seed: seed, epoch: epoch, index: index) ? image.grayscaled(channels: image.channels) : image
    }
}
