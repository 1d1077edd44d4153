extension Recipe {
    /// The `run` section: threads, numeric precision, and how often to evaluate and checkpoint.
    public struct Run: Sendable, Equatable {
        /// The number format of activations and weights in the forward and backward passes.
        public enum Precision: String, Sendable, CaseIterable {
            /// 32-bit floats throughout.
            case f32
            /// bfloat16 compute where the backend has it; weights and optimizer state stay f32.
            case bf16
        }

        /// The convolution algorithm the CPU backend asks oneDNN for.
        public enum ConvolutionAlgorithm: String, Sendable, CaseIterable {
            /// Direct convolution everywhere.
            case direct
            /// Winograd for f32 3x3 stride-1 layers: oneDNN's F(4,3) where its heuristic expects a win (AVX-512,
            /// 1.5x on ResNet-18 f32 there), Hone's own F(2,3) / F(4,3) on AVX2 CPUs, where oneDNN has none
            /// (and there Hone's direct kernels for 3x3 stems of 1-4 input channels).
            case auto
        }

        /// Threads for the compute kernels; 0 uses every core.
        public var threads: Int
        /// The compute precision.
        public var precision: Precision
        /// Evaluates every this many epochs (and always after the last); greater than 0.
        public var evalEvery: Int
        /// Checkpoints every this many optimizer steps; 0 checkpoints only at epoch ends (and on SIGINT or SIGTERM).
        public var checkpointEvery: Int
        /// The convolution algorithm; `auto` trades a little rounding and memory for f32 speed.
        public var convolutionAlgorithm: ConvolutionAlgorithm
        /// Before the final evaluation, re-estimates every batch norm's running statistics on this many training
        /// batches at the evaluation size and transform (FixRes' test-resolution fix); 0 keeps the trained ones.
        /// The final checkpoints keep the recalibrated statistics. With `schedule.epochs: 0` a run only loads
        /// `init.from`, recalibrates and evaluates: a pipeline stage or experiment cell of its own.
        public var recalibrateBatchNorm: Int

        public init(threads: Int = 0, precision: Precision = .f32, evalEvery: Int = 1, checkpointEvery: Int = 0,
                    convolutionAlgorithm: ConvolutionAlgorithm = .direct, recalibrateBatchNorm: Int = 0) {
            self.recalibrateBatchNorm = recalibrateBatchNorm
            self.threads = threads
            self.precision = precision
            self.evalEvery = evalEvery
            self.checkpointEvery = checkpointEvery
            self.convolutionAlgorithm = convolutionAlgorithm
        }
    }
}
