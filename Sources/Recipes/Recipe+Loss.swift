extension Recipe {
    /// The `loss` section: softmax cross-entropy and its label smoothing.
    ///
    /// With smoothing ε the target puts 1 - ε on the true class and spreads ε evenly over
    /// all classes (Szegedy et al.; Bag of Tricks), which softens the predicted probabilities.
    public struct Loss: Sendable, Equatable {
        /// The label smoothing ε, in [0, 1); 0 is plain cross-entropy.
        public var labelSmoothing: Double

        public init(labelSmoothing: Double = 0) {
            self.labelSmoothing = labelSmoothing
        }
    }
}
