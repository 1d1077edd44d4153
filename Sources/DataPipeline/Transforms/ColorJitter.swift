/// torchvision's `ColorJitter`: brightness, contrast, saturation and hue changed by random factors, in a random order.
///
/// Shapes: an image in, one of the same size and channels out. Each enabled
/// adjustment's factor is uniform in its range — `[max(0, 1 − b), 1 + b]` for a
/// strength `b`, `[−h, h]` for hue — and the four adjustments run in a random
/// order (torchvision's `randperm(4)`), each one PIL's operation at that factor.
/// Every sample draws its order and all four factors from its own counter-based
/// stream, disabled or not, so enabling hue moves no sample's other factors.
public struct ColorJitter: Sendable, Equatable {
    /// One of the four adjustments, numbered as torchvision's `fn_idx`.
    public enum Adjustment: Int, Sendable, Equatable, CaseIterable {
        /// `adjust_brightness`.
        case brightness
        /// `adjust_contrast`.
        case contrast
        /// `adjust_saturation`.
        case saturation
        /// `adjust_hue`.
        case hue
    }

    /// One sample's draws: the order of the adjustments and the factor of each enabled one.
    public struct Draw: Sendable, Equatable {
        /// The four adjustments in the order they are applied.
        public var order: [Adjustment]
        /// Brightness factor, or nil when brightness is not jittered.
        public var brightness: Double?
        /// Contrast factor, or nil when contrast is not jittered.
        public var contrast: Double?
        /// Saturation factor, or nil when saturation is not jittered.
        public var saturation: Double?
        /// Hue shift in `-0.5...0.5`, or nil when hue is not jittered.
        public var hue: Double?

        /// Fixed draws, as a test or a replay gives them.
        public init(order: [Adjustment], brightness: Double?, contrast: Double?, saturation: Double?, hue: Double?) {
            self.order = order
            self.brightness = brightness
            self.contrast = contrast
            self.saturation = saturation
            self.hue = hue
        }
    }

    /// Range of the brightness factor; nil disables it.
    public var brightness: ClosedRange<Double>?
    /// Range of the contrast factor; nil disables it.
    public var contrast: ClosedRange<Double>?
    /// Range of the saturation factor; nil disables it.
    public var saturation: ClosedRange<Double>?
    /// Range of the hue shift; nil disables it.
    public var hue: ClosedRange<Double>?

    /// Jitter from torchvision's scalar strengths: `ColorJitter(brightness, contrast, saturation, hue)`.
    ///
    /// A strength of 0 disables that adjustment, as torchvision turns `[1, 1]` and
    /// `[0, 0]` into None.
    ///
    /// - Precondition: the strengths are not negative and `hue <= 0.5`.
    public init(brightness: Double = 0, contrast: Double = 0, saturation: Double = 0, hue: Double = 0) {
        precondition(brightness >= 0 && contrast >= 0 && saturation >= 0 && hue >= 0,
                     "jitter strengths must not be negative, got \(brightness), \(contrast), \(saturation), \(hue)")
        precondition(hue <= 0.5, "the hue strength must be at most 0.5, got \(hue)")
        func factorRange(_ strength: Double) -> ClosedRange<Double>? {
            strength == 0 ? nil : max(0, 1 - strength)...(1 + strength)
        }
        self.init(brightnessRange: factorRange(brightness), contrastRange: factorRange(contrast),
                  saturationRange: factorRange(saturation), hueRange: hue == 0 ? nil : -hue...hue)
    }

    /// Jitter from explicit factor ranges, torchvision's `(min, max)` form.
    ///
    /// - Precondition: factor ranges are not negative and the hue range lies in `-0.5...0.5`.
    public init(brightnessRange: ClosedRange<Double>?, contrastRange: ClosedRange<Double>?,
                saturationRange: ClosedRange<Double>?, hueRange: ClosedRange<Double>?) {
        for range in [brightnessRange, contrastRange, saturationRange].compactMap({ $0 }) {
            precondition(range.lowerBound >= 0, "jitter factors must not be negative, got \(range)")
        }
        if let hueRange {
            precondition(hueRange.lowerBound >= -0.5 && hueRange.upperBound <= 0.5,
                         "the hue range must lie in -0.5...0.5, got \(hueRange)")
        }
        brightness = brightnessRange
        contrast = contrastRange
        saturation = saturationRange
        hue = hueRange
    }

    /// Sample `index`'s order and factors in `epoch`.
    ///
    /// Draw order: a Fisher–Yates shuffle of the four adjustments (three draws),
    /// then one uniform each for brightness, contrast, saturation and hue.
    public func draw(seed: UInt64, epoch: Int, index: Int) -> Draw {
        var generator = CounterRandomGenerator(seed: seed, epoch: epoch, stream: .colorJitter, index: index)
        var order = Adjustment.allCases
        for position in stride(from: order.count - 1, to: 0, by: -1) {
            order.swapAt(position, generator.uniform(below: position + 1))
        }
        func factor(_ range: ClosedRange<Double>?) -> Double? {
            let unit = generator.unitInterval()
            return range.map { $0.lowerBound + ($0.upperBound - $0.lowerBound) * unit }
        }
        let brightnessFactor = factor(self.brightness)
        let contrastFactor = factor(self.contrast)
        let saturationFactor = factor(self.saturation)
        let hueShift = factor(self.hue)
        return Draw(order: order, brightness: brightnessFactor, contrast: contrastFactor,
                    saturation: saturationFactor, hue: hueShift)
    }

    /// `image` with the drawn adjustments applied in the drawn order; a nil factor skips its adjustment.
    public func apply(to image: ByteImage, draw: Draw) -> ByteImage {
        var result = image
        for adjustment in draw.order {
            switch adjustment {
            case .brightness: if let factor = draw.brightness { result = result.adjustingBrightness(factor) }
            case .contrast: if let factor = draw.contrast { result = result.adjustingContrast(factor) }
            case .saturation: if let factor = draw.saturation { result = result.adjustingSaturation(factor) }
            case .hue: if let factor = draw.hue { result = result.shiftingHue(factor) }
            }
        }
        return result
    }

    /// Sample `index`'s jittered `image` in `epoch`.
    public func apply(to image: ByteImage, seed: UInt64, epoch: Int, index: Int) -> ByteImage {
        apply(to: image, draw: draw(seed: seed, epoch: epoch, index: index))
    }
}
