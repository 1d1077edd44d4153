import Foundation

/// The rectangle random erasing blanks in one sample, drawn from the sample's own counter-based stream.
///
/// Shapes: rows `top..<top + height` and columns `left..<left + width` of the
/// augmented `imageHeight × imageWidth` image, in every channel. Drawn from a stream
/// of its own (not the crop's), so enabling erasing moves no sample's crop or flip.
struct ErasedRectangle: Equatable, Sendable {
    var top: Int
    var left: Int
    var height: Int
    var width: Int

    /// The rectangle for sample `index` in `epoch`, or nil when this sample is not erased.
    ///
    /// Draw order: one uniform for the erase decision, then per attempt (at most ten)
    /// an area fraction and a log aspect ratio; sides are `round(sqrt(area × aspect))`
    /// and `round(sqrt(area / aspect))`, accepted only when strictly smaller than the
    /// image, then a top row and left column uniform over every position that fits.
    static func draw(_ erasing: RandomErasing, imageHeight: Int, imageWidth: Int,
                     seed: UInt64, epoch: Int, index: Int) -> ErasedRectangle? {
        guard erasing.probability > 0 else { return nil }
        var generator = CounterRandomGenerator(seed: seed, epoch: epoch, stream: .erasing, index: index)
        guard generator.unitInterval() < erasing.probability else { return nil }
        let area = Double(imageHeight * imageWidth)
        let logAspects = (log(erasing.minimumAspect), log(erasing.maximumAspect))
        for _ in 0..<10 {
            let targetArea = area * generator.uniform(erasing.minimumArea, erasing.maximumArea)
            let aspect = exp(generator.uniform(logAspects.0, logAspects.1))
            let height = Int((targetArea * aspect).squareRoot().rounded(.toNearestOrEven))
            let width = Int((targetArea / aspect).squareRoot().rounded(.toNearestOrEven))
            guard height < imageHeight && width < imageWidth else { continue }
            let top = generator.uniform(below: imageHeight - height + 1)
            let left = generator.uniform(below: imageWidth - width + 1)
            return ErasedRectangle(top: top, left: left, height: height, width: width)
        }
        return nil
    }

    /// Overwrites the rectangle in every channel of the CHW image at `image` with `fill`'s values.
    ///
    /// Random fills come from a second stream keyed like the rectangle's, one
    /// standard normal per channel (`.perChannel`) or per channel and pixel in CHW
    /// order (`.perPixel`).
    func erase(_ image: UnsafeMutablePointer<Float>, channels: Int, imageHeight: Int, imageWidth: Int,
               fill: RandomErasing.Fill, seed: UInt64, epoch: Int, index: Int) {
        var generator = CounterRandomGenerator(seed: seed, epoch: epoch, stream: .erasingFill, index: index)
        for channel in 0..<channels {
            let channelValue: Float = fill == .perChannel ? Float(generator.standardNormal()) : 0
            let plane = image + channel * imageHeight * imageWidth
            for row in top..<(top + height) {
                let line = plane + row * imageWidth
                for column in left..<(left + width) {
                    line[column] = fill == .perPixel ? Float(generator.standardNormal()) : channelValue
                }
            }
        }
    }
}
