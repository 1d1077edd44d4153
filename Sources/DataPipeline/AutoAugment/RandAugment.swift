/// timm's `RandAugment`: `n` ops picked at random from a list, each run with probability `p` at magnitude `m`.
///
/// Shapes: an image in, one of the same size and channels out. Without weights
/// the ops are picked uniformly WITH replacement (timm's `np.random.choice(ops, n,
/// replace=True)`), so one op can run twice; with weights (`tweights`) they are
/// picked without replacement in proportion to the weights, by successive draws.
/// Each picked op is a timm `AugmentOp` with probability `p` (0.5), magnitude `m`,
/// the noise of `mstd` and the clip of `mmax`. All draws for one image come from
/// its own counter-based stream: first the `n` picks, then six draws per picked op.
public struct RandAugment: Sendable, Equatable {
    /// The ops to pick from.
    public var operations: [AugmentOperation]
    /// Relative chance of each op in `operations`, or nil for a uniform pick with replacement.
    public var weights: [Double]?
    /// How many ops each image gets (timm's `n`, `num_layers`).
    public var numberOfOperations: Int
    /// Magnitude of every op (timm's `m`).
    public var magnitude: Double
    /// Chance that a picked op runs (timm's `p`).
    public var probability: Double
    /// Per-run perturbation of the magnitude (timm's `mstd`).
    public var noise: MagnitudeNoise
    /// Upper clip of the perturbed magnitude (timm's `mmax`).
    public var magnitudeMaximum: Double
    /// Fill, filter and translate sizes of the ops.
    public var hyperparameters: AugmentHyperparameters

    /// timm's `_RAND_TRANSFORMS`: the ops of `rand-…` without `inc`.
    public static let standardOperations: [AugmentOperation] = [
        .autoContrast, .equalize, .invert, .rotate, .posterize, .solarize, .solarizeAdd, .color, .contrast,
        .brightness, .sharpness, .shearX, .shearY, .translateXRelative, .translateYRelative,
    ]

    /// timm's `_RAND_INCREASING_TRANSFORMS`: the ops of `rand-…-inc1`, severity growing with the magnitude.
    public static let increasingOperations: [AugmentOperation] = [
        .autoContrast, .equalize, .invert, .rotate, .posterizeIncreasing, .solarizeIncreasing, .solarizeAdd,
        .colorIncreasing, .contrastIncreasing, .brightnessIncreasing, .sharpnessIncreasing, .shearX, .shearY,
        .translateXRelative, .translateYRelative,
    ]

    /// timm's `_RAND_WEIGHTED_0` (`tweights`): geometric ops favoured, in timm's order.
    public static let weightedOperations: [(operation: AugmentOperation, weight: Double)] = [
        (.rotate, 3), (.shearX, 2), (.shearY, 2), (.translateXRelative, 1), (.translateYRelative, 1),
        (.colorIncreasing, 0.25), (.sharpnessIncreasing, 0.25), (.autoContrast, 0.25),
        (.solarizeIncreasing, 0.05), (.solarizeAdd, 0.05), (.contrastIncreasing, 0.05),
        (.brightnessIncreasing, 0.05), (.equalize, 0.05), (.posterizeIncreasing, 0.05), (.invert, 0.05),
    ]

    /// RandAugment over an explicit op list.
    ///
    /// - Precondition: `operations` is not empty, `numberOfOperations` is not
    ///   negative, `probability` is in `0...1`, magnitudes are not negative; with
    ///   weights, there is one non-negative weight per op and at least
    ///   `numberOfOperations` of them are positive (numpy refuses fewer).
    public init(operations: [AugmentOperation], weights: [Double]? = nil, numberOfOperations: Int = 2,
                magnitude: Double = AugmentOperation.levelDenominator, probability: Double = 0.5,
                noise: MagnitudeNoise = .none, magnitudeMaximum: Double = AugmentOperation.levelDenominator,
                hyperparameters: AugmentHyperparameters = .timmDefaults) {
        precondition(!operations.isEmpty, "RandAugment needs at least one op")
        precondition(numberOfOperations >= 0, "RandAugment's op count must not be negative, got \(numberOfOperations)")
        precondition((0...1).contains(probability), "RandAugment's probability must be in 0...1, got \(probability)")
        precondition(magnitude >= 0 && magnitudeMaximum >= 0, "magnitudes must not be negative")
        if let weights {
            precondition(weights.count == operations.count && weights.allSatisfy { $0 >= 0 },
                         "RandAugment needs one non-negative weight per op")
            precondition(weights.filter { $0 > 0 }.count >= numberOfOperations,
                         "weighted RandAugment picks without replacement: \(numberOfOperations) ops need as many positive weights")
        }
        self.operations = operations
        self.weights = weights
        self.numberOfOperations = numberOfOperations
        self.magnitude = magnitude
        self.probability = probability
        self.noise = noise
        self.magnitudeMaximum = magnitudeMaximum
        self.hyperparameters = hyperparameters
    }

    /// RandAugment over timm's standard or increasing op list, as `rand-m{magnitude}-n{count}[-inc1]` builds it.
    public init(magnitude: Double = AugmentOperation.levelDenominator, numberOfOperations: Int = 2,
                increasing: Bool = false, probability: Double = 0.5, noise: MagnitudeNoise = .none,
                magnitudeMaximum: Double = AugmentOperation.levelDenominator,
                hyperparameters: AugmentHyperparameters = .timmDefaults) {
        self.init(operations: increasing ? Self.increasingOperations : Self.standardOperations,
                  numberOfOperations: numberOfOperations, magnitude: magnitude, probability: probability,
                  noise: noise, magnitudeMaximum: magnitudeMaximum, hyperparameters: hyperparameters)
    }

    /// The picked ops of sample `index` in `epoch`, with their draws, in the order they run.
    public func draw(seed: UInt64, epoch: Int, index: Int) -> [AugmentStep] {
        var generator = CounterRandomGenerator(seed: seed, epoch: epoch, stream: .automaticAugmentation, index: index)
        let picks = weights.map { pickWithoutReplacement(weights: $0, using: &generator) }
            ?? (0..<numberOfOperations).map { _ in generator.uniform(below: operations.count) }
        return picks.map { pick in
            AugmentOp(operations[pick], probability: probability, magnitude: magnitude, noise: noise,
                      magnitudeMaximum: magnitudeMaximum)
                .step(using: &generator, interpolation: hyperparameters.interpolation)
        }
    }

    /// `image` after the given steps, in order.
    public func apply(to image: ByteImage, steps: [AugmentStep]) -> ByteImage {
        steps.reduce(image) { $1.apply(to: $0, hyperparameters: hyperparameters) }
    }

    /// Sample `index`'s `image` in `epoch` after its drawn ops.
    public func apply(to image: ByteImage, seed: UInt64, epoch: Int, index: Int) -> ByteImage {
        apply(to: image, steps: draw(seed: seed, epoch: epoch, index: index))
    }

    /// `numberOfOperations` distinct indices, each drawn in proportion to the weights of those not yet picked.
    private func pickWithoutReplacement(weights: [Double], using generator: inout CounterRandomGenerator) -> [Int] {
        var remaining = weights
        var picks: [Int] = []
        for _ in 0..<numberOfOperations {
            let total = remaining.reduce(0, +)
            let target = generator.unitInterval() * total
            var cumulative = 0.0
            var pick = remaining.lastIndex { $0 > 0 } ?? 0
            for (candidate, weight) in remaining.enumerated() where weight > 0 {
                cumulative += weight
                if target < cumulative {
                    pick = candidate
                    break
                }
            }
            picks.append(pick)
            remaining[pick] = 0
        }
        return picks
    }
}
