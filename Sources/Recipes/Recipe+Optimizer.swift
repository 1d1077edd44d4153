extension Recipe {
    /// The `optimizer` section: the update rule, its learning rate at a reference batch size, and its hyper-parameters.
    ///
    /// The learning rate is given at `learningRateBaseBatch` and scaled to the actual batch
    /// size by `learningRateScaling` (Bag of Tricks' linear rule: 0.1 at 256), so changing
    /// the batch size in a sweep does not silently change the effective step size. The
    /// section holds every optimizer's keys with timm's names; a key the chosen optimizer
    /// does not use is simply unused (`betas` means nothing to SGD), so switching `name` in
    /// an override needs no other change.
    public struct Optimizer: Sendable, Equatable {
        /// An update rule.
        public enum Name: String, Sendable, CaseIterable {
            /// Stochastic gradient descent with (optionally Nesterov) momentum.
            case sgd
            /// Adam with decoupled weight decay (`torch.optim.AdamW`).
            case adamW = "adamw"
            /// SGD with a per-layer trust ratio for large batches (timm's `Lars`).
            case lars
            /// Adam with a per-layer trust ratio and global gradient clipping (timm's `Lamb`).
            case lamb
            /// RMSprop with TensorFlow's ε inside the square root (timm's `RMSpropTF`).
            case rmspropTF = "rmsproptf"
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
        /// The momentum coefficient, in [0, 1) (sgd, lars, rmsproptf).
        public var momentum: Double
        /// Uses Nesterov's look-ahead momentum (sgd, lars).
        public var nesterov: Bool
        /// The weight decay coefficient; at least 0 (L2 for sgd, lars, lamb and rmsproptf; decoupled for adamw).
        public var weightDecay: Double
        /// Exempts biases and normalisation scales and shifts from weight decay (Bag of Tricks), and LARS and
        /// LAMB's trust ratio from them.
        public var noBiasDecay: Bool
        /// The moment decay rates (β1, β2), two numbers in [0, 1) (adamw, lamb).
        public var betas: [Double]
        /// The optimizer's ε; nil means the reference's default (adamw and lars 1e-8, lamb 1e-6, rmsproptf 1e-10).
        public var epsilon: Double?
        /// RMSprop's smoothing constant α, in [0, 1) (rmsproptf).
        public var alpha: Double
        /// LARS's trust coefficient η; greater than 0.
        public var trustCoefficient: Double
        /// Bounds the trust ratio (LARC for lars, LAMBC for lamb).
        public var trustClip: Bool
        /// The global gradient norm LAMB clips to inside its step; 0 turns the clipping off.
        public var maxGradientNorm: Double
        /// Layer-wise learning-rate decay d in [0, 1] (BEiT, timm's `--layer-decay`): the head trains at lr and each
        /// part before it at lr·d^depth (layer4 d, layer3 d², ..., stem d⁵); nil trains every part at lr.
        public var layerDecay: Double?
        /// Per-part learning-rate multipliers, by part name or parameter glob, applied on top of `layerDecay`.
        public var learningRateMultipliers: [LearningRateMultiplier]

        public init(name: Name = .sgd, learningRate: Double = 0.1, learningRateBaseBatch: Int = 256,
                    learningRateScaling: LearningRateScaling = .linear, momentum: Double = 0.9,
                    nesterov: Bool = true, weightDecay: Double = 5e-4, noBiasDecay: Bool = true,
                    betas: [Double] = [0.9, 0.999], epsilon: Double? = nil, alpha: Double = 0.9,
                    trustCoefficient: Double = 0.001, trustClip: Bool = false, maxGradientNorm: Double = 1,
                    layerDecay: Double? = nil, learningRateMultipliers: [LearningRateMultiplier] = []) {
            self.name = name
            self.learningRate = learningRate
            self.learningRateBaseBatch = learningRateBaseBatch
            self.learningRateScaling = learningRateScaling
            self.momentum = momentum
            self.nesterov = nesterov
            self.weightDecay = weightDecay
            self.noBiasDecay = noBiasDecay
            self.betas = betas
            self.epsilon = epsilon
            self.alpha = alpha
            self.trustCoefficient = trustCoefficient
            self.trustClip = trustClip
            self.maxGradientNorm = maxGradientNorm
            self.layerDecay = layerDecay
            self.learningRateMultipliers = learningRateMultipliers
        }

        /// One entry of `lr_multipliers`: the parameters a part name or glob selects train at `multiplier`·lr.
        ///
        /// Written as a mapping, `lr_multipliers: {stem: 0.1, "layer4.*.bn*": 2}`; a parameter
        /// several entries select takes the product of their multipliers.
        public struct LearningRateMultiplier: Sendable, Equatable {
            /// A part name (`stem`, `layer1` ... `layer4`, `head`) or a parameter-path glob.
            public var part: String
            /// The factor on the learning rate, at least 0.
            public var multiplier: Double

            public init(part: String, multiplier: Double) {
                self.part = part
                self.multiplier = multiplier
            }
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
