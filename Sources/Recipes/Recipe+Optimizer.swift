extension Recipe {
    /// The `optimizer` section: the update rule, its learning rate at a reference batch size, and weight decay.
    ///
    /// The learning rate is given at `learningRateBaseBatch` and scaled to the actual batch
    /// size by `learningRateScaling` (Bag of Tricks' linear rule: 0.1 at 256), so changing
    /// the batch size in a sweep does not silently change the effective step size.
    public struct Optimizer: Sendable, Equatable {
        /// An update rule.
        public enum Name: String, Sendable, CaseIterable {
            /// Stochastic gradient descent with (optionally Nesterov) momentum.
            case sgd
        }

        /// How the learning rate follows the batch size.
        public enum LearningRateScaling: String, Sendable, CaseIterable {
            /// `lr × batch / base` (Goyal et al.; Bag of Tricks).
            case linear
            /// `lr × sqrt(batch / base)`, gentler for adaptive optimizers and very large batches.
            case squareRoot = "sqrt"
            /// `lr` as given, whatever the batch.
            case none
        }

        /// The update rule.
        public var name: Name
        /// The peak learning rate at a batch of `learningRateBaseBatch` images; greater than 0.
        public var learningRate: Double
        /// The batch size `learningRate` is given for; greater than 0.
        public var learningRateBaseBatch: Int
        /// How the learning rate is scaled to the actual batch size.
        public var learningRateScaling: LearningRateScaling
        /// The momentum coefficient, in [0, 1).
        public var momentum: Double
        /// Uses Nesterov's look-ahead momentum.
        public var nesterov: Bool
        /// The L2 weight decay coefficient; at least 0.
        public var weightDecay: Double
        /// Exempts biases and normalisation scales and shifts from weight decay (Bag of Tricks).
        public var noBiasDecay: Bool

        public init(name: Name = .sgd, learningRate: Double = 0.1, learningRateBaseBatch: Int = 256,
                    learningRateScaling: LearningRateScaling = .linear, momentum: Double = 0.9,
                    nesterov: Bool = true, weightDecay: Double = 5e-4, noBiasDecay: Bool = true) {
            self.name = name
            self.learningRate = learningRate
            self.learningRateBaseBatch = learningRateBaseBatch
            self.learningRateScaling = learningRateScaling
            self.momentum = momentum
            self.nesterov = nesterov
            self.weightDecay = weightDecay
            self.noBiasDecay = noBiasDecay
        }

        /// The peak learning rate for batches of `batchSize` images, by the scaling rule.
        public func effectiveLearningRate(batchSize: Int) -> Double {
            let ratio = Double(batchSize) / Double(learningRateBaseBatch)
            switch learningRateScaling {
            case .linear: return learningRate * ratio
            case .squareRoot: return learningRate * ratio.squareRoot()
            case .none: return learningRate
            }
        }
    }
}
