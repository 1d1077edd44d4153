/// An optimizer's saved state: named per-parameter buffers ("momentum", "exp_avg", …) and how many steps it took.
///
/// `slots[slot][path]` holds one f32 value per element of the parameter at `path`.
/// The names follow PyTorch's optimizer state where one exists, so a reader of a
/// checkpoint recognises them.
public struct OptimizerState: Sendable, Equatable {
    public var slots: [String: [String: [Float]]]
    /// Optimizer steps taken (bias corrections depend on it).
    public var stepCount: Int

    public init(slots: [String: [String: [Float]]] = [:], stepCount: Int = 0) {
        self.slots = slots
        self.stepCount = stepCount
    }
}
