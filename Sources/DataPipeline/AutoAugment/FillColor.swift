/// The colour a geometric augmentation paints where the moved image no longer covers the output.
///
/// Shapes: one byte per RGB channel; a grey image is filled with the colour's
/// PIL luma. timm passes the data set's mean to its shear, translate and rotate
/// ops as `fillcolor`, each channel `round(255 × mean)`, so the default for
/// ImageNet is (124, 116, 104); torchvision's TrivialAugmentWide fills with black.
/// PIL itself refuses a three-value fill for a grey image, so the grey rule is Hone's.
public struct FillColor: Sendable, Equatable {
    /// Red byte.
    public var red: UInt8
    /// Green byte.
    public var green: UInt8
    /// Blue byte.
    public var blue: UInt8

    /// A fill of the given channel bytes.
    public init(red: UInt8, green: UInt8, blue: UInt8) {
        self.red = red
        self.green = green
        self.blue = blue
    }

    /// A fill from per-channel means in `0...1`, each scaled by 255 and rounded as timm's `round(255 × mean)` does.
    ///
    /// Python's `round` sends ties to even; `.toNearestOrEven` does the same.
    /// - Precondition: `means` holds three values in `0...1`.
    public init(means: [Double]) {
        precondition(means.count == 3 && means.allSatisfy { (0...1).contains($0) },
                     "a fill needs three means in 0...1, got \(means)")
        func byte(_ mean: Double) -> UInt8 { UInt8(min(255, (255 * mean).rounded(.toNearestOrEven))) }
        self.init(red: byte(means[0]), green: byte(means[1]), blue: byte(means[2]))
    }

    /// ImageNet's mean (0.485, 0.456, 0.406) as bytes: (124, 116, 104), timm's fill on ImageNet recipes.
    public static let imageNetMean = FillColor(red: 124, green: 116, blue: 104)

    /// Black, torchvision's fill when none is given.
    public static let black = FillColor(red: 0, green: 0, blue: 0)

    /// timm's own fallback when no mean is passed: mid grey (128, 128, 128).
    public static let middleGrey = FillColor(red: 128, green: 128, blue: 128)

    /// The fill's bytes for an image of `channels` channels: RGB, or its luma alone.
    func bytes(channels: Int) -> [UInt8] {
        channels == 3 ? [red, green, blue] : [ByteImage.luma(red: red, green: green, blue: blue)]
    }
}
