/// timm's `gaussian_blur_prob`: with probability `p`, torchvision's `GaussianBlur(kernel, sigma range)`.
///
/// Shapes: an image in, one of the same size and channels out. torchvision draws
/// sigma uniformly from its range on every call; timm wraps the blur in
/// `RandomApply(p)`. Both draws — the decision, then sigma — come from the sample's
/// own stream and are always made, so the probability moves no sample's sigma.
public struct RandomGaussianBlur: Sendable, Equatable {
    /// Chance that an image is blurred.
    public var probability: Double
    /// Kernel side in pixels, odd; the kernel is square.
    public var kernelSize: Int
    /// Range of the standard deviation, in pixels.
    public var sigma: ClosedRange<Double>

    /// torchvision's defaults for everything but the probability: timm's kernel of 23 and sigma in 0.1...2.
    ///
    /// - Precondition: `probability` in `0...1`, `kernelSize` odd and positive, `sigma.lowerBound > 0`.
    public init(probability: Double, kernelSize: Int = 23, sigma: ClosedRange<Double> = 0.1...2.0) {
        precondition((0...1).contains(probability), "a blur probability must be in 0...1, got \(probability)")
        precondition(kernelSize > 0 && kernelSize % 2 == 1, "a blur kernel needs an odd positive size, got \(kernelSize)")
        precondition(sigma.lowerBound > 0, "a blur's sigma must be positive, got \(sigma)")
        self.probability = probability
        self.kernelSize = kernelSize
        self.sigma = sigma
    }

    /// Sample `index`'s sigma in `epoch`, or nil when it is not blurred.
    public func drawSigma(seed: UInt64, epoch: Int, index: Int) -> Double? {
        var generator = CounterRandomGenerator(seed: seed, epoch: epoch, stream: .gaussianBlur, index: index)
        let blurs = generator.unitInterval() < probability
        let drawn = generator.uniform(sigma.lowerBound, sigma.upperBound)
        return blurs ? drawn : nil
    }

    /// Sample `index`'s `image` in `epoch`: blurred at its drawn sigma, or unchanged.
    public func apply(to image: ByteImage, seed: UInt64, epoch: Int, index: Int) -> ByteImage {
        guard let sigma = drawSigma(seed: seed, epoch: epoch, index: index) else { return image }
        return image.gaussianBlurred(kernelWidth: kernelSize, kernelHeight: kernelSize, sigma: sigma)
    }
}
