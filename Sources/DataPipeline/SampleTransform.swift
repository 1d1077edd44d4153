/// Where one sample's crop window sits and whether it is mirrored, drawn from its own counter-based stream.
///
/// Shapes: `rowOffset` and `columnOffset` are the top-left corner of the crop
/// window in the padded image, each in `0...2 × padding` (torchvision's `i` and
/// `j`); with no padding both are 0 and the window is the image itself. Keyed by
/// (seed, epoch, sample index), not by the sample's position in the batch, so the
/// same sample gets the same transformation in an epoch wherever the shuffle put it
/// and whichever worker prepared it; tests call `draw` to predict the output.
struct SampleTransform: Equatable, Sendable {
    /// Top row of the crop window in the padded image.
    var rowOffset: Int
    /// Left column of the crop window in the padded image.
    var columnOffset: Int
    /// Whether the cropped image is mirrored left to right.
    var flipsHorizontally: Bool

    /// The transformation that leaves an image as it is.
    static let identity = SampleTransform(rowOffset: 0, columnOffset: 0, flipsHorizontally: false)

    /// The draws for sample `index` in `epoch`: crop row, crop column, then flip, in that order.
    ///
    /// All three are drawn whatever is enabled, so turning the flip on or off does
    /// not move any sample's crop.
    static func draw(augmentation: Augmentation, seed: UInt64, epoch: Int, index: Int) -> SampleTransform {
        if !augmentation.movesPixels { return .identity }
        var generator = CounterRandomGenerator(seed: seed, epoch: epoch, stream: .augmentation, index: index)
        let positions = 2 * augmentation.randomCropPadding + 1
        let rowOffset = generator.uniform(below: positions)
        let columnOffset = generator.uniform(below: positions)
        let flips = generator.coin()
        return SampleTransform(
            rowOffset: rowOffset,
            columnOffset: columnOffset,
            flipsHorizontally: augmentation.horizontalFlip && flips
        )
    }
}
