/// torchvision's `gaussian_blur` on a PIL image: a separable Gaussian with reflected edges, rounded back to bytes.
///
/// Shapes: an image in, one of the same size and channels out. torchvision turns
/// the PIL image into a float tensor, pads it by half a kernel with reflection
/// (the edge pixel is not repeated: `… 2 1 | 0 1 2 …`), convolves each channel
/// with the outer product of two float32 kernels and rounds half to even into
/// uint8. Here the two passes run separably in double on the same float32 weights:
/// in exact arithmetic that is the same sum, and double keeps the rounding error
/// far below torchvision's own float32 accumulation.
extension ByteImage {
    /// This image blurred by a `kernelWidth × kernelHeight` Gaussian of standard deviation `sigma` in both directions.
    ///
    /// Sides shorter than half the kernel, which torchvision refuses, reflect
    /// again at the far edge instead of failing.
    ///
    /// - Precondition: both kernel sides are odd and positive, `sigma` is positive.
    public func gaussianBlurred(kernelWidth: Int, kernelHeight: Int, sigma: Double) -> ByteImage {
        let horizontal = GaussianKernel(size: kernelWidth, sigma: sigma).weights.map(Double.init)
        let vertical = GaussianKernel(size: kernelHeight, sigma: sigma).weights.map(Double.init)
        let columnSources = Self.reflectedPositions(count: width, radius: kernelWidth / 2)
        let rowSources = Self.reflectedPositions(count: height, radius: kernelHeight / 2)
        var rowsBlurred = [Double](repeating: 0, count: pixels.count)
        for row in 0..<height {
            let rowStart = row * width * channels
            for column in 0..<width {
                for channel in 0..<channels {
                    var sum = 0.0
                    for tap in 0..<kernelWidth {
                        let source = columnSources[column + tap]
                        sum += horizontal[tap] * Double(pixels[rowStart + source * channels + channel])
                    }
                    rowsBlurred[rowStart + column * channels + channel] = sum
                }
            }
        }
        let rowBytes = width * channels
        var output = [UInt8](repeating: 0, count: pixels.count)
        for row in 0..<height {
            for index in 0..<rowBytes {
                var sum = 0.0
                for tap in 0..<kernelHeight {
                    sum += vertical[tap] * rowsBlurred[rowSources[row + tap] * rowBytes + index]
                }
                let rounded = sum.rounded(.toNearestOrEven)
                output[row * rowBytes + index] = rounded <= 0 ? 0 : rounded >= 255 ? 255 : UInt8(rounded)
            }
        }
        return ByteImage(width: width, height: height, channels: channels, pixels: output)
    }

    /// For each position of an axis padded by `radius` on both sides, the source position reflection reads.
    ///
    /// Shapes: `count + 2 × radius` entries; entry `radius + i` is `i`. Reflection
    /// about the edge pixels has period `2 (count − 1)`, folded as often as needed.
    static func reflectedPositions(count: Int, radius: Int) -> [Int] {
        guard count > 1 else { return [Int](repeating: 0, count: count + 2 * radius) }
        let period = 2 * (count - 1)
        return (-radius..<(count + radius)).map { position in
            let folded = ((position % period) + period) % period
            return folded < count ? folded : period - folded
        }
    }
}
