extension Recipe {
    /// The `freeze` section: parts of the model that keep their (loaded) weights while the rest trains.
    ///
    /// `parts` names ResNet parts (`stem`, `layer1` ... `layer4`, `head`) or parameter-path
    /// globs (`layer4.*.bn*`, `*` matching any run of characters, dots included). A frozen
    /// parameter gets no gradient, no weight decay and no optimizer state: the optimizer is
    /// built over the trainable parameters only. With `normEval` every batch norm whose scale
    /// and shift are both frozen runs in evaluation mode during training, so its running
    /// statistics stay as loaded; without it they keep following the batches. The
    /// resolution report does not say which it used; the default follows torchvision's
    /// frozen batch norms and mmcls's frozen stages, which keep the statistics fixed.
    public struct Freeze: Sendable, Equatable {
        /// The part names and parameter globs to freeze; empty trains everything.
        public var parts: [String]
        /// Keeps the batch norms of frozen parts in evaluation mode (running statistics not updated).
        public var normEval: Bool

        public init(parts: [String] = [], normEval: Bool = true) {
            self.parts = parts
            self.normEval = normEval
        }
    }
}
