extension Recipe {
    /// The `loss` section: the training objective (softmax or binary cross-entropy), label smoothing and distillation.
    ///
    /// With smoothing ε the target puts 1 - ε on the true class and spreads ε evenly over
    /// all classes (Szegedy et al.; Bag of Tricks), which softens the predicted probabilities.
    /// Binary cross-entropy treats each class as its own yes/no question ("ResNet strikes
    /// back"); distillation adds a pull towards a trained teacher's softened predictions
    /// (Hinton et al.; Bag of Tricks §5).
    public struct Loss: Sendable, Equatable {
        /// Which cross-entropy compares the logits with the targets.
        public enum Name: String, Sendable, CaseIterable {
            /// Softmax cross-entropy: one distribution over the classes.
            case ce
            /// Binary cross-entropy on each logit against its class's target (timm's `--bce-loss`).
            case bce
        }

        /// The objective's kind.
        public var name: Name
        /// The label smoothing ε, in [0, 1); 0 is plain cross-entropy.
        public var labelSmoothing: Double
        /// With `bce`, targets above this become 1 and the rest 0 (timm's `--bce-target-thresh`); nil keeps them soft.
        public var bceTargetThreshold: Double?
        /// A run folder or a model.safetensors whose model teaches this one; nil trains without a teacher.
        public var distillationTeacher: String?
        /// The weight α of the distillation term, in [0, 1]; the hard loss gets 1 − α.
        public var distillationAlpha: Double
        /// The softmax temperature T (> 0) of both teacher and student in the distillation term.
        public var distillationTemperature: Double

        public init(name: Name = .ce, labelSmoothing: Double = 0, bceTargetThreshold: Double? = nil,
                    distillationTeacher: String? = nil, distillationAlpha: Double = 0.5,
                    distillationTemperature: Double = 1) {
            self.name = name
            self.labelSmoothing = labelSmoothing
            self.bceTargetThreshold = bceTargetThreshold
            self.distillationTeacher = distillationTeacher
            self.distillationAlpha = distillationAlpha
            self.distillationTemperature = distillationTemperature
        }
    }
}
