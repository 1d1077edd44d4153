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

    /// The rectangles for sample `index` in `epoch`: none when the sample is not erased, else up to the drawn count.
    ///
    /// Draw order: one uniform for the erase decision; then, only when
    /// `maximumCount` > 1, the count, uniform in `1...maximumCount` (timm's
    /// `recount`); then for each rectangle, per attempt (at most ten) an area
    /// fraction (of the image's area divided by the count) and a log aspect ratio;
    /// sides are `round(sqrt(area × aspect))` and `round(sqrt(area / aspect))`,
    /// accepted only when strictly smaller than the image, then a top row and left
    /// column uniform over every position that fits. A rectangle whose ten attempts
    /// all fail is left out, as timm leaves it.
    static func draw(_ erasing: RandomErasing, imageHeight: Int, imageWidth: Int,
                     seed: UInt64, epoch: Int, index: Int) -> [ErasedRectangle] {
        guard erasing.probability > 0 else { return [] }
        var generator = CounterRandomGenerator(seed: seed, epoch: epoch, stream: .erasing, index: index)
        guard generator.unitInterval() < erasing.probability else { return [] }
        let count = erasing.maximumCount > 1 ? 1 + generator.uniform(below: erasing.maximumCount) : 1
        let area = Double(imageHeight * imageWidth) / Double(count)
        let logAspects = (log(erasing.minimumAspect), log(erasing.maximumAspect))
        var rectangles: [ErasedRectangle] = []
        for _ in 0..<count {
            for _ in 0..<10 {
                let targetArea = area * generator.uniform(erasing.minimumArea, erasing.maximumArea)
                let aspect = exp(generator.uniform(logAspects.0, logAspects.1))
                let height = Int((targetArea * aspect).squareRoot().rounded(.toNearestOrEven))
                let width = Int((targetArea / aspect).squareRoot().rounded(.toNearestOrEven))
                guard height < imageHeight && width < imageWidth else { continue }
                let top = generator.uniform(below: imageHeight - height + 1)
                let left = generator.uniform(below: imageWidth - width + 1)
                rectangles.append(ErasedRectangle(top: top, left: left, height: height, width: width))
                break
            }
        }
        return rectangles
    }

    /// Overwrites each rectangle in every channel of the CHW image at `image` with `fill`'s values.
    ///
    /// Random fills come from a second stream keyed like the rectangles', one
    /// standard normal per channel (`.perChannel`) or per channel and pixel in CHW
    /// order (`.perPixel`), continuing from one rectangle to the next.
    static func erase(_ rectangles: [ErasedRectangle], in image: UnsafeMutablePointer<Float>, channels: Int,
                      imageHeight: Int, imageWidth: Int, fill: RandomErasing.Fill, seed: UInt64, epoch: Int,
                      index: Int) {
        guard !rectangles.isEmpty else { return }
        var generator = CounterRandomGenerator(seed: seed, epoch: epoch, stream: .erasingFill, index: index)
        for rectangle in rectangles {
            for channel in 0..<channels {
                let channelValue: Float = fill == .perChannel ? Float(generator.standardNormal()) : 0
                let plane = image + channel * imageHeight * imageWidth
                for row in rectangle.top..<(rectangle.top + rectangle.height) {
                    let line = plane + row * imageWidth
                    for column in rectangle.left..<(rectangle.left + rectangle.width) {
                        line[column] = fill == .perPixel ? Float(generator.standardNormal()) : channelValue
                    }
                }
            }
        }
    }
}
