import Foundation

/// torchvision's `RandomResizedCrop`: cut a window of random area and aspect ratio, then resize it to a fixed size.
///
/// Shapes: any `width × height` image in, `outputWidth × outputHeight` out,
/// channels kept. The window's area is a uniform fraction of the image's in
/// `scale` and its aspect ratio (width over height) log-uniform in `ratio`; up to
/// ten draws are tried before falling back to the centred largest window within
/// the ratio range, exactly as torchvision 0.14's `get_params` does. The draws come
/// from the sample's own counter-based stream, so a sample's window depends only
/// on (seed, epoch, index), whichever thread cuts it; the crop and resize are then
/// torchvision's `resized_crop` on a PIL image, byte for byte.
public struct RandomResizedCrop: Sendable, Equatable {
    /// Columns of the output.
    public var outputWidth: Int
    /// Rows of the output.
    public var outputHeight: Int
    /// Range of the window's area as a fraction of the image's.
    public var scale: ClosedRange<Double>
    /// Range of the window's aspect ratio, width over height.
    public var ratio: ClosedRange<Double>
    /// Filter of the resize.
    public var interpolation: Interpolation

    /// A square crop of side `size`, with torchvision's default scale (0.08...1), ratio (3/4...4/3) and bilinear filter.
    ///
    /// - Precondition: `size` is positive, `scale.lowerBound >= 0` and `ratio.lowerBound > 0`.
    public init(size: Int, scale: ClosedRange<Double> = 0.08...1, ratio: ClosedRange<Double> = (3.0 / 4)...(4.0 / 3),
                interpolation: Interpolation = .bilinear) {
        self.init(outputWidth: size, outputHeight: size, scale: scale, ratio: ratio, interpolation: interpolation)
    }

    /// A crop to `outputWidth × outputHeight`.
    ///
    /// - Precondition: both output sides are positive, `scale.lowerBound >= 0` and `ratio.lowerBound > 0`.
    public init(outputWidth: Int, outputHeight: Int, scale: ClosedRange<Double> = 0.08...1,
                ratio: ClosedRange<Double> = (3.0 / 4)...(4.0 / 3), interpolation: Interpolation = .bilinear) {
        precondition(outputWidth > 0 && outputHeight > 0, "the crop's output must be positive, got \(outputWidth)×\(outputHeight)")
        precondition(scale.lowerBound >= 0, "the crop's area fractions must not be negative, got \(scale)")
        precondition(ratio.lowerBound > 0, "the crop's aspect ratios must be positive, got \(ratio)")
        self.outputWidth = outputWidth
        self.outputHeight = outputHeight
        self.scale = scale
        self.ratio = ratio
        self.interpolation = interpolation
    }

    /// The window sample `index` of `epoch` cuts from a `imageWidth × imageHeight` image.
    ///
    /// - Precondition: the image is not empty.
    public func window(imageWidth: Int, imageHeight: Int, seed: UInt64, epoch: Int, index: Int) -> CropWindow {
        var generator = CounterRandomGenerator(seed: seed, epoch: epoch, stream: .resizedCrop, index: index)
        return window(imageWidth: imageWidth, imageHeight: imageHeight, using: &generator)
    }

    /// The window drawn from `generator`: torchvision's `get_params`.
    ///
    /// Draw order per attempt: the area fraction, the log aspect ratio, then — only
    /// for an accepted window — its top row and left column, uniform over every
    /// position that fits. Sides are `round(√(area × ratio))` and `round(√(area / ratio))`
    /// with Python's round half to even. When all ten attempts fail, the window is
    /// the whole image narrowed to the nearest allowed ratio and centred, its offsets
    /// rounded down.
    func window(imageWidth: Int, imageHeight: Int, using generator: inout CounterRandomGenerator) -> CropWindow {
        precondition(imageWidth > 0 && imageHeight > 0, "cannot crop an empty \(imageWidth)×\(imageHeight) image")
        let area = Double(imageWidth * imageHeight)
        let logRatio = (log(ratio.lowerBound), log(ratio.upperBound))
        for _ in 0..<10 {
            let targetArea = area * generator.uniform(scale.lowerBound, scale.upperBound)
            let aspect = exp(generator.uniform(logRatio.0, logRatio.1))
            let width = Int((targetArea * aspect).squareRoot().rounded(.toNearestOrEven))
            let height = Int((targetArea / aspect).squareRoot().rounded(.toNearestOrEven))
            if width > 0 && width <= imageWidth && height > 0 && height <= imageHeight {
                let top = generator.uniform(below: imageHeight - height + 1)
                let left = generator.uniform(below: imageWidth - width + 1)
                return CropWindow(top: top, left: left, height: height, width: width)
            }
        }
        let imageRatio = Double(imageWidth) / Double(imageHeight)
        var width = imageWidth
        var height = imageHeight
        if imageRatio < ratio.lowerBound {
            height = Int((Double(width) / ratio.lowerBound).rounded(.toNearestOrEven))
        } else if imageRatio > ratio.upperBound {
            width = Int((Double(height) * ratio.upperBound).rounded(.toNearestOrEven))
        }
        return CropWindow(top: (imageHeight - height) / 2, left: (imageWidth - width) / 2, height: height, width: width)
    }

    /// `window` of `image` resized to the output size.
    ///
    /// - Precondition: `window` lies within the image.
    public func apply(to image: ByteImage, window: CropWindow) -> ByteImage {
        image.resizedCrop(window, width: outputWidth, height: outputHeight, interpolation: interpolation)
    }

    /// Sample `index`'s crop of `image` in `epoch`: its window drawn, cut and resized.
    public func apply(to image: ByteImage, seed: UInt64, epoch: Int, index: Int) -> ByteImage {
        apply(to: image, window: window(imageWidth: image.width, imageHeight: image.height,
                                        seed: seed, epoch: epoch, index: index))
    }
}
