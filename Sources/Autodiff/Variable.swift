import TensorCore

/// A tensor in a differentiable computation: a leaf (an input or a parameter) or the result of a recorded op.
///
/// Each op result remembers, through its `TapeNode`, its inputs' nodes and its
/// pullback (the vector-Jacobian product), which is the tape `backward()` replays
/// in reverse. A leaf's `gradient` accumulates over backward passes (and over
/// several uses of the leaf in one pass) until `zeroGradient()`; that is how
/// gradient accumulation over micro-batches works. A value lives as long as the
/// variable or a pullback that needs it, so activations nobody differentiates
/// through are freed during the forward pass, and, like PyTorch without
/// `retain_graph`, a backward pass drops each op's record as soon as its pullback
/// has run, freeing what it saved while backward goes on.
public final class Variable {
    public let value: Tensor
    let node: TapeNode

    /// A leaf: an input (`requiresGradient: false`) or a trainable parameter.
    public init(_ value: Tensor, requiresGradient: Bool = false) {
        self.value = value
        self.node = TapeNode(requiresGradient: requiresGradient, dtype: value.dtype, record: nil)
    }

    init(value: Tensor, record: TapeRecord?) {
        self.value = value
        self.node = TapeNode(requiresGradient: record != nil, dtype: value.dtype, record: record)
    }

    public var shape: Shape { value.shape }
    public var dtype: DType { value.dtype }

    /// False for inputs, frozen parameters and everything computed only from them:
    /// no gradient flows to them and the kernels that would compute one never run.
    public var requiresGradient: Bool { node.requiresGradient }

    /// True for variables not computed by a recorded op.
    public var isLeaf: Bool { node.record == nil && !node.recordReleased }

    /// Names this variable's place in the graph: what `backward(leafFinished:)` passes for a leaf.
    public var gradientIdentifier: ObjectIdentifier { ObjectIdentifier(node) }

    /// The accumulated gradient of a leaf, in its value's shape and type.
    public var gradient: Tensor? { node.gradient }

    /// Forgets the accumulated gradient.
    public func zeroGradient() {
        node.gradient = nil
    }

    /// Adds `contribution` to the accumulated gradient (used by backward and by data-parallel reduction).
    ///
    /// The gradient always owns its storage: a pullback may hand the same tensor to
    /// several inputs, and an in-place change of one gradient (clipping, an
    /// all-reduce) must not change another.
    public func accumulateGradient(_ contribution: Tensor) {
        node.accumulateGradient(contribution)
    }

    /// The result of an op: recorded on the tape when gradients are on and some input needs one.
    ///
    /// `pullback` receives the gradient of the result and returns one gradient per
    /// input, in order, or nil for inputs that do not require one (it must not
    /// compute those). It should capture only the values it reads: whatever it
    /// captures stays alive until backward has run it.
    static func result(_ value: Tensor, inputs: [Variable], pullback: @escaping (Tensor) -> [Tensor?]) -> Variable {
        guard GradientMode.isEnabled, inputs.contains(where: \.requiresGradient) else {
            return Variable(value: value, record: nil)
        }
        return Variable(value: value, record: TapeRecord(inputs: inputs.map(\.node), pullback: pullback))
    }
}
