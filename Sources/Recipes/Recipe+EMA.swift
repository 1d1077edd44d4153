extension Recipe {
    /// The `ema` section: an exponential moving average of the weights, evaluated beside the trained ones.
    ///
    /// After every `every`-th optimizer step the average moves towards the model:
    /// ema ← d·ema + (1 − d)·model over every parameter and running statistic (timm's
    /// `ModelEmaV3`, torchvision's `--model-ema-steps`). The first update copies the model,
    /// as both do; with `warmup` the decay then grows as timm's warm-up rule,
    /// d = min(decay, 1 − (1 + t)^(−2/3)) for the t-th update after the first.
    public struct EMA: Sendable, Equatable {
        /// The decay d in [0, 1); 0 turns the average off.
        public var decay: Double
        /// Whether the decay ramps up over the first updates (timm's `--model-ema-warmup`).
        public var warmup: Bool
        /// Updates the average after every this many optimizer steps, at least 1.
        public var every: Int

        public init(decay: Double = 0, warmup: Bool = false, every: Int = 1) {
            self.decay = decay
            self.warmup = warmup
            self.every = every
        }

        /// Whether the run keeps an average at all.
        public var isEnabled: Bool { decay > 0 }
    }
}
