/// A batch of standardised images in NCHW order with their labels, ready to copy into a tensor.
///
/// Shapes: `pixels` holds `count × channels × height × width` floats, each
/// `(x / 255 − mean[c]) / deviation[c]`; `labels` and `indices` hold `count`
/// values. Plain CPU arrays rather than tensors, because the data pipeline imports
/// none of Hone's modules; the trainer makes the tensor. `indices` says which
/// samples of the set were drawn, so evaluation can attribute each prediction.
public struct FloatBatch: Sendable, Equatable {
    /// Number of images in the batch.
    public var count: Int
    /// Channels per image.
    public var channels: Int
    /// Rows per image.
    public var height: Int
    /// Columns per image.
    public var width: Int
    /// Standardised pixels, `count × channels × height × width`, channel-major per image.
    public var pixels: [Float]
    /// The class index of each image.
    public var labels: [Int32]
    /// The position in the source set of each image.
    public var indices: [Int]
    /// Per-image class probabilities, `count × classes` row-major, when mixup/CutMix or label smoothing made them; nil for hard labels.
    public var softTargets: [Float]?

    /// Wraps pixels, labels and indices already laid out.
    ///
    /// - Precondition: the array sizes agree with `count` and the image shape.
    public init(count: Int, channels: Int, height: Int, width: Int, pixels: [Float], labels: [Int32], indices: [Int]) {
        precondition(pixels.count == count * channels * height * width, "pixel count disagrees with the batch shape")
        precondition(labels.count == count && indices.count == count, "need one label and one index per image")
        self.count = count
        self.channels = channels
        self.height = height
        self.width = width
        self.pixels = pixels
        self.labels = labels
        self.indices = indices
    }

    /// Floats in one image: `channels × height × width`.
    public var pixelsPerImage: Int { channels * height * width }
}
