import TensorCore

/// A variable's place in the autodiff graph: the op that made it, or, for a leaf, its accumulated gradient.
///
/// Kept apart from the variable's value so that the graph does not keep values
/// alive: an op's record holds the nodes of its inputs (to route gradients to
/// them) but only the tensors its pullback captured. A batch norm's output that
/// feeds only a residual add is then freed as soon as the forward pass drops the
/// variable, where PyTorch would not have saved it either; holding whole input
/// variables kept every op input alive until backward ended.
final class TapeNode {
    /// False for inputs, frozen parameters and everything computed only from them.
    let requiresGradient: Bool
    /// The element type gradients are accumulated in (the value's type).
    let dtype: DType
    /// The op that made the variable; nil for leaves and once a backward pass has consumed it.
    var record: TapeRecord?
    /// Whether a backward pass has run this node's pullback and dropped its record.
    var recordReleased = false
    /// The accumulated gradient of a leaf, plain, in `dtype`.
    var gradient: Tensor?

    init(requiresGradient: Bool, dtype: DType, record: TapeRecord?) {
        self.requiresGradient = requiresGradient
        self.dtype = dtype
        self.record = record
    }

    /// Adds `contribution` to the accumulated gradient, converted to plain layout and `dtype`.
    ///
    /// The gradient always owns its storage: a pullback may hand the same tensor to
    /// several inputs, and an in-place change of one gradient (clipping, an
    /// all-reduce) must not change another.
    func accumulateGradient(_ contribution: Tensor) {
        let plain = Compute.backend.convert(Compute.backend.reorder(contribution, to: .plain), to: dtype)
        if let gradient {
            self.gradient = Compute.backend.add(gradient, plain)
        } else {
            self.gradient = plain.storage === contribution.storage ? plain.copied() : plain
        }
    }
}

/// What an op result needs for the backward pass: its inputs' nodes and its pullback.
struct TapeRecord {
    let inputs: [TapeNode]
    let pullback: (Tensor) -> [Tensor?]
}
