/// The random transformations a loader applies to each training image: padded random crop, horizontal flip, random erasing.
///
/// Shapes: the output image keeps the input's `height × width × channels`. A crop
/// pads the image with `randomCropPadding` zero pixels on every side (zero in
/// pixel space, before standardisation) and cuts a window of the original size at
/// a uniformly random offset, as torchvision's `RandomCrop(size, padding=p)` does
/// with its default constant fill of 0; the flip then mirrors the columns with
/// probability 0.5, as `RandomHorizontalFlip()` does; random erasing, when set,
/// then blanks a rectangle of the standardised image. A value type rather than a
/// list of closures so that a loader's configuration is comparable and recordable.
public struct Augmentation: Sendable, Equatable {
    /// Zero pixels added on each side before cropping; 0 disables the crop.
    public var randomCropPadding: Int
    /// Whether to mirror each image left to right with probability 0.5.
    public var horizontalFlip: Bool
    /// Random erasing after crop, flip and standardisation; nil disables it.
    public var randomErasing: RandomErasing?

    /// Describes a combination of crop and flip.
    ///
    /// - Precondition: `randomCropPadding` is not negative.
    public init(randomCropPadding: Int = 0, horizontalFlip: Bool = false, randomErasing: RandomErasing? = nil) {
        precondition(randomCropPadding >= 0, "crop padding must not be negative, got \(randomCropPadding)")
        self.randomCropPadding = randomCropPadding
        self.horizontalFlip = horizontalFlip
        self.randomErasing = randomErasing
    }

    /// No augmentation: every image passes through unchanged, as for evaluation.
    public static let none = Augmentation()

    /// The usual CIFAR and Fashion-MNIST training recipe: crop with 4 pixels of padding, then flip.
    public static let cropAndFlip = Augmentation(randomCropPadding: 4, horizontalFlip: true)

    /// Whether this leaves every image unchanged.
    public var isIdentity: Bool { !movesPixels && (randomErasing?.probability ?? 0) == 0 }

    /// Whether the crop or the flip can move any pixel.
    var movesPixels: Bool { randomCropPadding > 0 || horizontalFlip }
}
