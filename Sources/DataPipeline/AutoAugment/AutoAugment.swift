/// timm's `AutoAugment`: one sub-policy of a learned policy chosen uniformly per image, its ops run in order.
///
/// Shapes: an image in, one of the same size and channels out. Each op of the
/// chosen sub-policy runs with its own probability at its own magnitude,
/// perturbed by `noise` (timm's `original-mstd0.5`). One image's draws come from
/// its own counter-based stream: the sub-policy pick, then six draws per op.
public struct AutoAugment: Sendable, Equatable {
    /// The learned policy.
    public var policy: AutoAugmentPolicy
    /// Per-run perturbation of every op's magnitude (timm's `mstd`; always Gaussian here, as timm's AutoAugment parser keeps the number).
    public var noise: MagnitudeNoise
    /// Fill, filter and translate sizes of the ops.
    public var hyperparameters: AugmentHyperparameters

    /// AutoAugment with `policy`, timm's defaults for the rest.
    public init(policy: AutoAugmentPolicy, noise: MagnitudeNoise = .none,
                hyperparameters: AugmentHyperparameters = .timmDefaults) {
        self.policy = policy
        self.noise = noise
        self.hyperparameters = hyperparameters
    }

    /// One image's draws: which sub-policy, and each of its ops' outcome.
    public struct Draw: Sendable, Equatable {
        /// Index of the chosen sub-policy in `policy.subPolicies`.
        public var subPolicy: Int
        /// Its ops' outcomes, in the order they run.
        public var steps: [AugmentStep]
    }

    /// Sample `index`'s sub-policy and op outcomes in `epoch`.
    public func draw(seed: UInt64, epoch: Int, index: Int) -> Draw {
        var generator = CounterRandomGenerator(seed: seed, epoch: epoch, stream: .automaticAugmentation, index: index)
        let subPolicies = policy.subPolicies
        let chosen = generator.uniform(below: subPolicies.count)
        let steps = subPolicies[chosen].map { entry in
            var op = entry
            op.noise = noise
            return op.step(using: &generator, interpolation: hyperparameters.interpolation)
        }
        return Draw(subPolicy: chosen, steps: steps)
    }

    /// `image` after the given steps, in order.
    public func apply(to image: ByteImage, steps: [AugmentStep]) -> ByteImage {
        steps.reduce(image) { $1.apply(to: $0, hyperparameters: hyperparameters) }
    }

    /// Sample `index`'s `image` in `epoch` after its drawn sub-policy.
    public func apply(to image: ByteImage, seed: UInt64, epoch: Int, index: Int) -> ByteImage {
        apply(to: image, steps: draw(seed: seed, epoch: epoch, index: index).steps)
    }
}
