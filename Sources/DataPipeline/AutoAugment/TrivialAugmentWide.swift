import Foundation

/// torchvision's `TrivialAugmentWide` (Müller & Hutter 2021): one op per image, at a magnitude bin drawn uniformly from 31.
///
/// Shapes: an image in, one of the same size and channels out. timm has no
/// TrivialAugment, so this follows torchvision 0.14 on PIL images: one of its 14
/// ops uniformly (identity included, invert not), one of 31 magnitude bins
/// uniformly, and a fair sign for the signed ops. Its ops differ from timm's:
/// shears go through torchvision's `affine` (matrix from `tan(atan(m))`), shifts are
/// whole pixels (`int(m)`, up to 32), rotations reach 135°, enhancement factors
/// are `1 ± m` up to 0.99, and the fill and filter are torchvision's (black and
/// nearest) unless given. Draws per image, from its own stream: op, bin, sign coin,
/// filter coin.
public struct TrivialAugmentWide: Sendable, Equatable {
    /// One of torchvision's TrivialAugmentWide ops, in its `_augmentation_space` order.
    public enum Operation: String, Sendable, Equatable, CaseIterable {
        /// The image unchanged.
        case identity = "Identity"
        /// Horizontal shear by a factor in 0...0.99.
        case shearX = "ShearX"
        /// Vertical shear by a factor in 0...0.99.
        case shearY = "ShearY"
        /// Horizontal shift by 0...32 whole pixels.
        case translateX = "TranslateX"
        /// Vertical shift by 0...32 whole pixels.
        case translateY = "TranslateY"
        /// Rotation by 0...135 degrees.
        case rotate = "Rotate"
        /// `adjust_brightness(1 ± m)`.
        case brightness = "Brightness"
        /// `adjust_saturation(1 ± m)`.
        case color = "Color"
        /// `adjust_contrast(1 ± m)`.
        case contrast = "Contrast"
        /// `adjust_sharpness(1 ± m)`.
        case sharpness = "Sharpness"
        /// `posterize` keeping 8 down to 2 bits.
        case posterize = "Posterize"
        /// `solarize` at a threshold from 255 down to 0.
        case solarize = "Solarize"
        /// `autocontrast`.
        case autoContrast = "AutoContrast"
        /// `equalize`.
        case equalize = "Equalize"

        /// Whether the magnitude gets a random sign.
        public var isSigned: Bool {
            switch self {
            case .shearX, .shearY, .translateX, .translateY, .rotate, .brightness, .color, .contrast, .sharpness: true
            default: false
            }
        }

        /// Whether the op draws a magnitude bin at all (torchvision's 0-dimensional magnitude tensors draw none).
        public var hasMagnitude: Bool {
            switch self {
            case .identity, .autoContrast, .equalize: false
            default: true
            }
        }

        /// The unsigned magnitude of `bin` (0...30): torchvision's 31-bin `linspace` value as it reads it back from float32.
        ///
        /// The 0...0.99 and 0...32 tables are torch 1.13's own float32 results, whose
        /// vectorised `linspace` rounds some entries differently from any one scalar
        /// formula (its 16th shift is exactly 16, not 15.999999); the rotation and
        /// threshold tables are exact multiples of 4.5 and 8.5.
        public func magnitude(bin: Int) -> Double {
            precondition((0..<TrivialAugmentWide.binCount).contains(bin), "a magnitude bin is in 0..<31, got \(bin)")
            switch self {
            case .identity, .autoContrast, .equalize: return 0
            case .shearX, .shearY, .brightness, .color, .contrast, .sharpness:
                return Double(TrivialAugmentWide.unitMagnitudes[bin])
            case .translateX, .translateY: return Double(TrivialAugmentWide.shiftMagnitudes[bin])
            case .rotate: return 4.5 * Double(bin)
            case .posterize: return Double(8 - Int((Float(bin) / Float(5)).rounded(.toNearestOrEven)))
            case .solarize: return 255 - 8.5 * Double(bin)
            }
        }
    }

    /// One image's draws: the op, its signed magnitude and the filter of a geometric op.
    public struct Draw: Sendable, Equatable {
        /// The op.
        public var operation: Operation
        /// The magnitude with its sign, as torchvision passes it to `_apply_op`.
        public var magnitude: Double
        /// The filter of a geometric op.
        public var interpolation: Interpolation

        /// A draw with every value given, as a test or a replay supplies it.
        public init(operation: Operation, magnitude: Double, interpolation: Interpolation = .nearest) {
            self.operation = operation
            self.magnitude = magnitude
            self.interpolation = interpolation
        }
    }

    /// torchvision's `num_magnitude_bins` default, the only bin count supported.
    public static let binCount = 31

    /// torch 1.13's `linspace(0.0, 0.99, 31)` in float32.
    static let unitMagnitudes: [Float] = [
        0.0, 0.033, 0.066, 0.099, 0.132, 0.16499999, 0.198, 0.231, 0.264, 0.297, 0.32999998, 0.363, 0.396, 0.429,
        0.462, 0.495, 0.528, 0.561, 0.594, 0.62700003, 0.66, 0.693, 0.726, 0.759, 0.792, 0.825, 0.85800004,
        0.89100003, 0.924, 0.957, 0.99,
    ]

    /// torch 1.13's `linspace(0.0, 32.0, 31)` in float32.
    static let shiftMagnitudes: [Float] = [
        0.0, 1.0666667, 2.1333334, 3.2000003, 4.266667, 5.3333335, 6.4000006, 7.466667, 8.533334, 9.6, 10.666667,
        11.733334, 12.800001, 13.866667, 14.933334, 16.0, 17.066666, 18.133333, 19.199999, 20.266666, 21.333332,
        22.4, 23.466667, 24.533333, 25.6, 26.666666, 27.733334, 28.8, 29.866667, 30.933332, 32.0,
    ]

    /// Filter of the geometric ops (torchvision's default: nearest).
    public var interpolation: GeometricInterpolation
    /// Colour of uncovered pixels (torchvision's default: black).
    public var fill: FillColor

    /// TrivialAugmentWide with torchvision's defaults unless given.
    public init(interpolation: GeometricInterpolation = .fixed(.nearest), fill: FillColor = .black) {
        self.interpolation = interpolation
        self.fill = fill
    }

    /// Sample `index`'s op, magnitude and filter in `epoch`.
    ///
    /// Four draws, always: op, bin, sign, filter — an op without a magnitude ignores the bin and sign.
    public func draw(seed: UInt64, epoch: Int, index: Int) -> Draw {
        var generator = CounterRandomGenerator(seed: seed, epoch: epoch, stream: .automaticAugmentation, index: index)
        let operation = Operation.allCases[generator.uniform(below: Operation.allCases.count)]
        let bin = generator.uniform(below: Self.binCount)
        let negated = generator.coin()
        let filterCoin = generator.coin()
        var magnitude = operation.magnitude(bin: bin)
        if operation.isSigned && negated { magnitude = -magnitude }
        return Draw(operation: operation, magnitude: magnitude, interpolation: interpolation.resolved(coin: filterCoin))
    }

    /// `image` after the drawn op: torchvision's `_apply_op` on a PIL image.
    public func apply(to image: ByteImage, draw: Draw) -> ByteImage {
        let magnitude = draw.magnitude
        switch draw.operation {
        case .identity:
            return image
        case .shearX:
            let degrees = atan(magnitude) * (180.0 / Double.pi)
            let matrix = Self.inverseAffineMatrix(centreX: 0, centreY: 0, translateX: 0, translateY: 0,
                                                  shearXDegrees: degrees, shearYDegrees: 0)
            return image.affineTransformed(matrix, interpolation: draw.interpolation, fill: fill)
        case .shearY:
            let degrees = atan(magnitude) * (180.0 / Double.pi)
            let matrix = Self.inverseAffineMatrix(centreX: 0, centreY: 0, translateX: 0, translateY: 0,
                                                  shearXDegrees: 0, shearYDegrees: degrees)
            return image.affineTransformed(matrix, interpolation: draw.interpolation, fill: fill)
        case .translateX, .translateY:
            let shift = Double(Int(magnitude))
            let horizontal = draw.operation == .translateX
            let matrix = Self.inverseAffineMatrix(centreX: Double(image.width) * 0.5, centreY: Double(image.height) * 0.5,
                                                  translateX: horizontal ? shift : 0, translateY: horizontal ? 0 : shift,
                                                  shearXDegrees: 0, shearYDegrees: 0)
            return image.affineTransformed(matrix, interpolation: draw.interpolation, fill: fill)
        case .rotate:
            return image.rotated(degrees: magnitude, interpolation: draw.interpolation, fill: fill)
        case .brightness: return image.adjustingBrightness(1.0 + magnitude)
        case .color: return image.adjustingSaturation(1.0 + magnitude)
        case .contrast: return image.adjustingContrast(1.0 + magnitude)
        case .sharpness: return image.adjustingSharpness(1.0 + magnitude)
        case .posterize: return image.posterized(bits: Int(magnitude))
        case .solarize: return image.solarized(threshold: magnitude)
        case .autoContrast: return image.autocontrasted()
        case .equalize: return image.equalized()
        }
    }

    /// Sample `index`'s `image` in `epoch` after its drawn op.
    public func apply(to image: ByteImage, seed: UInt64, epoch: Int, index: Int) -> ByteImage {
        apply(to: image, draw: draw(seed: seed, epoch: epoch, index: index))
    }

    /// torchvision's `_get_inverse_affine_matrix` for angle 0 and scale 1: the PIL matrix of a shear about a centre, then a shift.
    ///
    /// The trigonometry is torchvision's term by term (cosines of zero included),
    /// so the matrix — and a shear's `tan(radians(degrees(atan(m))))`, which is not
    /// exactly `m` — is the one PIL receives.
    static func inverseAffineMatrix(centreX: Double, centreY: Double, translateX: Double, translateY: Double,
                                    shearXDegrees: Double, shearYDegrees: Double) -> AffineMatrix {
        let rotation = 0.0 * (Double.pi / 180.0)
        let shearX = shearXDegrees * (Double.pi / 180.0)
        let shearY = shearYDegrees * (Double.pi / 180.0)
        let a = cos(rotation - shearY) / cos(shearY)
        let b = -cos(rotation - shearY) * tan(shearX) / cos(shearY) - sin(rotation)
        let c = sin(rotation - shearY) / cos(shearY)
        let d = -sin(rotation - shearY) * tan(shearX) / cos(shearY) + cos(rotation)
        var matrix = [d, -b, 0.0, -c, a, 0.0]
        matrix[2] += matrix[0] * (-centreX - translateX) + matrix[1] * (-centreY - translateY)
        matrix[5] += matrix[3] * (-centreX - translateX) + matrix[4] * (-centreY - translateY)
        matrix[2] += centreX
        matrix[5] += centreY
        return AffineMatrix(a: matrix[0], b: matrix[1], c: matrix[2], d: matrix[3], e: matrix[4], f: matrix[5])
    }
}
