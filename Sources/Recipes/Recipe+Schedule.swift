extension Recipe {
    /// The `schedule` section: the run's length and the learning rate's shape over it.
    ///
    /// The rate climbs linearly from `warmupStartLR` to the optimizer's effective rate over
    /// `warmupEpochs`, then decays by `decay` until the end. Times are in epochs here; the
    /// trainer converts them to steps once it knows the steps per epoch. Keys that a decay
    /// does not use (`milestones` for cosine, say) are kept and ignored, so switching the
    /// decay with one `--set` works.
    public struct Schedule: Sendable, Equatable {
        /// The learning rate's shape after warm-up.
        public enum Decay: String, Sendable, CaseIterable {
            /// Stays at the peak.
            case constant
            /// Half a cosine from the peak down to `minLR` (Bag of Tricks).
            case cosine
            /// Multiplied by `gamma` every `stepEpochs` epochs.
            case step
            /// Multiplied by `gamma` at each of `milestones`.
            case multistep
            /// `(1 - t)^power` from the peak down to `minLR`.
            case poly
        }

        /// Epochs of training; 0 trains nothing and only evaluates the weights `init.from` names.
        public var epochs: Int
        /// Epochs of linear warm-up, possibly fractional; at least 0.
        public var warmupEpochs: Double
        /// The absolute learning rate at step 0, where warm-up starts; at least 0.
        public var warmupStartLR: Double
        /// The decay after warm-up.
        public var decay: Decay
        /// The floor of `cosine` and `poly`; at least 0.
        public var minLR: Double
        /// The period of `step`, in epochs; greater than 0.
        public var stepEpochs: Int
        /// The epochs at which `multistep` multiplies by `gamma`; strictly increasing, each greater than 0.
        public var milestones: [Int]
        /// The factor of `step` and `multistep`; greater than 0.
        public var gamma: Double
        /// The exponent of `poly`; greater than 0.
        public var power: Double

        public init(epochs: Int = 10, warmupEpochs: Double = 1, warmupStartLR: Double = 0, decay: Decay = .cosine,
                    minLR: Double = 0, stepEpochs: Int = 30, milestones: [Int] = [30, 60, 80], gamma: Double = 0.1,
                    power: Double = 2) {
            self.epochs = epochs
            self.warmupEpochs = warmupEpochs
            self.warmupStartLR = warmupStartLR
            self.decay = decay
            self.minLR = minLR
            self.stepEpochs = stepEpochs
            self.milestones = milestones
            self.gamma = gamma
            self.power = power
        }
    }
}
