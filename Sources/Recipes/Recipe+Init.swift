extension Recipe {
    /// The `init` section: the weights a run starts from instead of a random initialisation.
    ///
    /// `from` names a Hone run folder, a checkpoint folder or a `model.safetensors` with
    /// Hone's, timm's or torchvision's parameter names. Tensors whose names and shapes match
    /// are copied; the rest is reported in the run's log. Two differences are adapted rather
    /// than refused, and the log says so: a classifier (`fc.weight`, `fc.bias`) for another
    /// class count keeps its fresh initialisation, and a stem convolution for another number
    /// of input channels is summed over its input channels (RGB weights for grey images) or
    /// replicated and scaled by old/new channels (grey weights for RGB), as timm's
    /// `adapt_input_conv` does. Any other shape that differs is an error. `skip` names parts
    /// that keep their fresh initialisation (`head` for a new task with the same class
    /// count). A resumed run never re-reads `from`: its own checkpoint holds the weights.
    public struct Initialization: Sendable, Equatable {
        /// Which of a run folder's checkpoints to start from.
        public enum Checkpoint: String, Sendable, CaseIterable {
            /// `checkpoints/best`, the best evaluation (the weight EMA's, in a run that keeps one).
            case best
            /// `checkpoints/last`, the end of the run.
            case last
        }

        /// A run folder, checkpoint folder or safetensors file; nil starts from random weights.
        public var from: String?
        /// The checkpoint of a run folder `from` names; unused for a file or a checkpoint folder.
        public var checkpoint: Checkpoint
        /// Makes names missing from the file, or found only in it, an error instead of a log line.
        public var strict: Bool
        /// Parts not loaded, as `freeze.parts` names them (`stem`, `layer1`..`layer4`, `head`, paths, globs).
        public var skip: [String]

        public init(from: String? = nil, checkpoint: Checkpoint = .best, strict: Bool = false, skip: [String] = []) {
            self.from = from
            self.checkpoint = checkpoint
            self.strict = strict
            self.skip = skip
        }
    }
}
