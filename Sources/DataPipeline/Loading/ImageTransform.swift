/// What happens to one decoded image on its way into a batch, in timm's order.
///
/// Shapes: any `width × height` RGB (or grey) `ByteImage` in; `outputWidth ×
/// outputHeight` standardised CHW floats out. The order is that of timm's
/// `transforms_imagenet_train`: geometry (RandomResizedCrop for training, resize +
/// centre crop for evaluation, or a plain resize), horizontal flip, automatic
/// augmentation (RandAugment, AutoAugment, TrivialAugment), colour jitter,
/// random greyscale, Gaussian blur, then `ToTensor` + lighting noise + `Normalize`,
/// then random erasing on the standardised image. Each random step draws from its
/// own counter-based stream keyed by (seed, epoch, sample index), so switching one
/// on or off moves no other step's draws and batches do not depend on threads.
public struct ImageTransform: Sendable, Equatable {
    /// How the image is brought to the output size.
    public enum Geometry: Sendable, Equatable {
        /// Training: a random window resized to the output size.
        case randomResizedCrop(RandomResizedCrop)
        /// Evaluation: shorter side to `⌊size / crop_pct⌋`, then the centred `size × size`.
        case resizeAndCenterCrop(ResizeAndCenterCrop)
        /// The whole image resized to a fixed size (images that are already framed, e.g. CIFAR).
        case resize(width: Int, height: Int, interpolation: Interpolation)
    }

    /// How the image is brought to the output size.
    public var geometry: Geometry
    /// Mirrors half the images left to right.
    public var horizontalFlip: Bool
    /// RandAugment, AutoAugment or TrivialAugment, after the flip (timm then leaves colour jitter off).
    public var automaticAugmentation: AutomaticAugmentation?
    /// Random brightness, contrast, saturation and hue, in a random order.
    public var colorJitter: ColorJitter?
    /// Turns some images grey (kept as three equal channels).
    public var grayscale: RandomGrayscale?
    /// Blurs some images.
    public var gaussianBlur: RandomGaussianBlur?
    /// AlexNet-style PCA lighting noise, added before normalisation.
    public var lighting: PCALighting?
    /// Erases a random rectangle of some standardised images.
    public var randomErasing: RandomErasing?

    /// Describes a transform; everything but the geometry is off unless given.
    public init(geometry: Geometry, horizontalFlip: Bool = false, automaticAugmentation: AutomaticAugmentation? = nil,
                colorJitter: ColorJitter? = nil,
                grayscale: RandomGrayscale? = nil, gaussianBlur: RandomGaussianBlur? = nil,
                lighting: PCALighting? = nil, randomErasing: RandomErasing? = nil) {
        self.geometry = geometry
        self.horizontalFlip = horizontalFlip
        self.automaticAugmentation = automaticAugmentation
        self.colorJitter = colorJitter
        self.grayscale = grayscale
        self.gaussianBlur = gaussianBlur
        self.lighting = lighting
        self.randomErasing = randomErasing
    }

    /// timm's training default at `size`: RandomResizedCrop (0.08–1, 3/4–4/3, bilinear) and a flip.
    public static func training(size: Int) -> ImageTransform {
        ImageTransform(geometry: .randomResizedCrop(RandomResizedCrop(size: size)), horizontalFlip: true)
    }

    /// timm's evaluation default at `size`: resize to `⌊size / 0.875⌋`, centre crop.
    public static func evaluation(size: Int, cropFraction: Double = 0.875) -> ImageTransform {
        ImageTransform(geometry: .resizeAndCenterCrop(ResizeAndCenterCrop(size: size, cropFraction: cropFraction)))
    }

    /// Columns of every output image.
    public var outputWidth: Int {
        switch geometry {
        case .randomResizedCrop(let crop): crop.outputWidth
        case .resizeAndCenterCrop(let crop): crop.size
        case .resize(let width, _, _): width
        }
    }

    /// Rows of every output image.
    public var outputHeight: Int {
        switch geometry {
        case .randomResizedCrop(let crop): crop.outputHeight
        case .resizeAndCenterCrop(let crop): crop.size
        case .resize(_, let height, _): height
        }
    }
}
