extension Recipe {
    /// The `gradient` section: accumulation over micro-batches and clipping before each optimizer step.
    ///
    /// `data.batch_size` stays the optimizer's batch (the one the learning-rate scaling rule
    /// sees): with `accumulation_steps` N each batch runs as N consecutive micro-batches of
    /// batch/N images whose gradients add up, then one clip and one update. Batch norm
    /// normalises each micro-batch on its own, so with batch norm accumulation trades memory
    /// for slightly different statistics, as in timm.
    public struct Gradient: Sendable, Equatable {
        /// How `clip` limits the accumulated gradients (timm's `--clip-mode`).
        public enum ClipMode: String, Sendable, CaseIterable {
            /// Rescales all gradients together so their global L2 norm is at most `clip` (`clip_grad_norm_`).
            case norm
            /// Clamps every gradient element to [−clip, clip] (`clip_grad_value_`).
            case value
            /// AGC (Brock et al. 2021): per output unit, gradient norm at most `clip` × weight norm.
            case agc
        }

        /// Micro-batches per optimizer step, at least 1; it must divide `data.batch_size`.
        public var accumulationSteps: Int
        /// The norm limit, the value limit or AGC's clip factor, by `clipMode`; 0 turns clipping off.
        public var clip: Double
        /// How gradients are clipped when `clip` is above 0.
        public var clipMode: ClipMode

        public init(accumulationSteps: Int = 1, clip: Double = 0, clipMode: ClipMode = .norm) {
            self.accumulationSteps = accumulationSteps
            self.clip = clip
            self.clipMode = clipMode
        }
    }
}
