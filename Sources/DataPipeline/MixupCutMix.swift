/// Mixup and CutMix on a standardised batch, with the soft targets they imply, as timm's `Mixup` does.
///
/// Shapes: mixes a `FloatBatch` of N images (N even) in place and sets its
/// `softTargets` to `N × classCount` probabilities. Image `i` is mixed with image
/// `N − 1 − i` (the batch reversed), with weight λ on its own pixels and label:
/// mixup blends the whole images, `λ·x_i + (1 − λ)·x_j`; CutMix pastes a box of
/// `x_j` into `x_i` and, by default, sets λ to the share of `x_i` left visible.
/// λ ~ Beta(α, α). `mode` says how many draws a batch gets: one for the whole batch
/// (`batch`), one per mirrored pair (`pair`, both images of a pair share λ and box),
/// or one per image (`element`). Label smoothing is folded into the targets as timm
/// does: each one-hot row becomes `smoothing / classes` off the label and
/// `1 − smoothing + smoothing / classes` on it before mixing.
///
/// Why it is built this way: the draws of batch `b` come from a counter-based
/// generator keyed by (seed, epoch, b), so a batch is mixed identically whichever
/// worker prepared it and after a resume; mixing after standardisation matches
/// timm, which mixes the normalised tensors on the device.
public struct MixupCutMix: Sendable, Equatable {
    /// How mixing parameters are shared across a batch.
    public enum Mode: String, Sendable, CaseIterable {
        /// One λ (and one box) for the whole batch: timm's default.
        case batch
        /// One λ per mirrored pair `(i, N − 1 − i)`; both images of a pair swap the same box.
        case pair
        /// One λ per image.
        case element
    }

    /// Mixup's α; 0 turns mixup off.
    public var mixupAlpha: Double
    /// CutMix's α; 0 turns CutMix off unless `cutMixFractions` is set.
    public var cutMixAlpha: Double
    /// When set, CutMix box sides are drawn uniformly between these fractions of the image's sides (timm's `cutmix_minmax`) instead of from λ.
    public var cutMixFractions: ClosedRange<Double>?
    /// Probability that a batch (or pair, or image) is mixed at all.
    public var probability: Double
    /// With both mixup and CutMix on, the probability of CutMix.
    public var switchProbability: Double
    /// How draws are shared across the batch.
    public var mode: Mode
    /// Whether CutMix's λ becomes the visible share of the image after the box is clipped to it.
    public var correctsLambda: Bool
    /// Label smoothing folded into the soft targets.
    public var labelSmoothing: Double

    /// Configures mixing; with `cutMixFractions` set, CutMix is on whatever `cutMixAlpha` says (timm forces α = 1).
    ///
    /// - Precondition: alphas are not negative and at least one technique is on;
    ///   probabilities and smoothing are in [0, 1]; fractions lie in [0, 1].
    public init(mixupAlpha: Double = 0, cutMixAlpha: Double = 0, cutMixFractions: ClosedRange<Double>? = nil,
                probability: Double = 1, switchProbability: Double = 0.5, mode: Mode = .batch,
                correctsLambda: Bool = true, labelSmoothing: Double = 0) {
        precondition(mixupAlpha >= 0 && cutMixAlpha >= 0, "mixup and CutMix alphas must not be negative")
        precondition(mixupAlpha > 0 || cutMixAlpha > 0 || cutMixFractions != nil,
                     "mixing needs mixup α > 0, CutMix α > 0 or CutMix fractions")
        precondition((0...1).contains(probability) && (0...1).contains(switchProbability),
                     "mixing probabilities must be in [0, 1]")
        precondition((0..<1).contains(labelSmoothing), "label smoothing must be in [0, 1), got \(labelSmoothing)")
        if let fractions = cutMixFractions {
            precondition(fractions.lowerBound >= 0 && fractions.upperBound <= 1,
                         "CutMix fractions must lie in [0, 1], got \(fractions)")
        }
        self.mixupAlpha = mixupAlpha
        self.cutMixAlpha = cutMixFractions == nil ? cutMixAlpha : 1
        self.cutMixFractions = cutMixFractions
        self.probability = probability
        self.switchProbability = switchProbability
        self.mode = mode
        self.correctsLambda = correctsLambda
        self.labelSmoothing = labelSmoothing
    }

    /// One draw: the weight of an image's own content, and whether it is a CutMix (else a mixup).
    struct Draw: Equatable {
        var lambda: Double
        var usesCutMix: Bool
    }

    /// Mixes `batch` in place, sets its `softTargets`, and returns each image's final λ.
    ///
    /// - Precondition: the batch holds an even number of images (timm asserts the
    ///   same; training loaders drop the short last batch) and every label indexes
    ///   `classCount` classes.
    @discardableResult
    public func apply(to batch: inout FloatBatch, classCount: Int, seed: UInt64, epoch: Int,
                      batchNumber: Int) -> [Double] {
        let count = batch.count
        precondition(count % 2 == 0, "mixup and CutMix pair image i with image N − 1 − i: the batch size \(count) must be even")
        var generator = CounterRandomGenerator(seed: seed, epoch: epoch, stream: .mixing, index: batchNumber)
        var mixer = PixelMixer(batch: batch)
        var lambdas = [Double](repeating: 1, count: count)
        switch mode {
        case .batch:
            let draw = self.draw(using: &generator)
            if draw.lambda != 1 {
                let lambda = mix(draw, pairs: (0..<count).map { ($0, count - 1 - $0) }, mixer: &mixer,
                                 using: &generator)
                lambdas = [Double](repeating: lambda, count: count)
            }
        case .pair:
            let draws = (0..<(count / 2)).map { _ in draw(using: &generator) }
            for (first, draw) in draws.enumerated() where draw.lambda != 1 {
                let second = count - 1 - first
                let lambda = mix(draw, pairs: [(first, second), (second, first)], mixer: &mixer, using: &generator)
                (lambdas[first], lambdas[second]) = (lambda, lambda)
            }
        case .element:
            let draws = (0..<count).map { _ in draw(using: &generator) }
            for (image, draw) in draws.enumerated() where draw.lambda != 1 {
                lambdas[image] = mix(draw, pairs: [(image, count - 1 - image)], mixer: &mixer, using: &generator)
            }
        }
        batch.pixels = mixer.mixed
        batch.softTargets = softTargets(labels: batch.labels, lambdas: lambdas, classCount: classCount)
        return lambdas
    }

    /// One λ and technique, as timm's per-batch draw: mixed at all with `probability`, then CutMix or mixup.
    func draw(using generator: inout CounterRandomGenerator) -> Draw {
        guard generator.unitInterval() < probability else { return Draw(lambda: 1, usesCutMix: false) }
        let usesCutMix: Bool
        if mixupAlpha > 0 && cutMixAlpha > 0 {
            usesCutMix = generator.unitInterval() < switchProbability
        } else {
            usesCutMix = mixupAlpha == 0
        }
        let alpha = usesCutMix ? cutMixAlpha : mixupAlpha
        return Draw(lambda: generator.beta(alpha, alpha), usesCutMix: usesCutMix)
    }

    /// Applies one draw to each `(target, source)` pair and returns the λ the targets should use.
    private func mix(_ draw: Draw, pairs: [(Int, Int)], mixer: inout PixelMixer,
                     using generator: inout CounterRandomGenerator) -> Double {
        guard draw.usesCutMix else {
            for (target, source) in pairs { mixer.blend(target, with: source, lambda: draw.lambda) }
            return draw.lambda
        }
        let (height, width) = (mixer.height, mixer.width)
        let box = cutMixFractions.map {
            CutMixBox.withinFractions($0.lowerBound, $0.upperBound, height: height, width: width, using: &generator)
        } ?? CutMixBox.centred(lambda: draw.lambda, height: height, width: width, using: &generator)
        for (target, source) in pairs { mixer.paste(box, from: source, into: target) }
        guard correctsLambda || cutMixFractions != nil else { return draw.lambda }
        return 1 - Double(box.area) / Double(height * width)
    }

    /// Smoothed one-hot rows of each label mixed with its partner's: `N × classCount`.
    private func softTargets(labels: [Int32], lambdas: [Double], classCount: Int) -> [Float] {
        let off = labelSmoothing / Double(classCount)
        let on = 1 - labelSmoothing + off
        let count = labels.count
        var targets = [Float](repeating: 0, count: count * classCount)
        for image in 0..<count {
            let own = Int(labels[image])
            let partner = Int(labels[count - 1 - image])
            precondition((0..<classCount).contains(own), "label \(own) outside 0..<\(classCount)")
            let lambda = lambdas[image]
            for column in 0..<classCount {
                let first = column == own ? on : off
                let second = column == partner ? on : off
                targets[image * classCount + column] = Float(first * lambda + second * (1 - lambda))
            }
        }
        return targets
    }
}

/// The pixels being mixed, next to an untouched copy that every mix reads from.
///
/// Shapes: both arrays are the batch's `N × C × H × W` floats. Reading only the
/// original makes the result independent of the order the pairs are mixed in,
/// as timm's `x.flip(0)` and `x_orig` copies do.
private struct PixelMixer {
    let original: [Float]
    var mixed: [Float]
    let channels: Int
    let height: Int
    let width: Int

    init(batch: FloatBatch) {
        original = batch.pixels
        mixed = batch.pixels
        (channels, height, width) = (batch.channels, batch.height, batch.width)
    }

    private var imageSize: Int { channels * height * width }

    /// `target ← λ·target + (1 − λ)·source`, both read from the original pixels.
    mutating func blend(_ target: Int, with source: Int, lambda: Double) {
        let (own, other) = (Float(lambda), Float(1 - lambda))
        let (targetStart, sourceStart) = (target * imageSize, source * imageSize)
        for offset in 0..<imageSize {
            mixed[targetStart + offset] = original[targetStart + offset] * own + original[sourceStart + offset] * other
        }
    }

    /// Copies `box` of every channel of the original `source` into `target`.
    mutating func paste(_ box: CutMixBox, from source: Int, into target: Int) {
        guard box.area > 0 else { return }
        for channel in 0..<channels {
            for row in box.top..<box.bottom {
                let rowOffset = (channel * height + row) * width
                for column in box.left..<box.right {
                    mixed[target * imageSize + rowOffset + column] = original[source * imageSize + rowOffset + column]
                }
            }
        }
    }
}
