import TensorCore

/// A tensor in a differentiable computation: a leaf (an input or a parameter) or the result of a recorded op.
///
/// Each op result remembers its inputs and its pullback (the vector-Jacobian
/// product), which is the tape `backward()` replays in reverse. A leaf's
/// `gradient` accumulates over backward passes (and over several uses of the
/// leaf in one pass) until `zeroGradient()`; that is how gradient accumulation
/// over micro-batches works.
public final class Variable {
    public let value: Tensor
    /// False for inputs, frozen parameters and everything computed only from them:
    /// no gradient flows to them and the kernels that would compute one never run.
    public let requiresGradient: Bool
    let record: TapeRecord?
    /// The accumulated gradient of a leaf, in its value's shape and type.
    public internal(set) var gradient: Tensor?

    /// A leaf: an input (`requiresGradient: false`) or a trainable parameter.
    public init(_ value: Tensor, requiresGradient: Bool = false) {
        self.value = value
        self.requiresGradient = requiresGradient
        self.record = nil
    }

    init(value: Tensor, record: TapeRecord?) {
        self.value = value
        self.requiresGradient = record != nil
        self.record = record
    }

    public var shape: Shape { value.shape }
    public var dtype: DType { value.dtype }

    /// True for variables not computed by a recorded op.
    public var isLeaf: Bool { record == nil }

    /// Forgets the accumulated gradient.
    public func zeroGradient() {
        gradient = nil
    }

    /// Adds `contribution` to the accumulated gradient (used by backward and by data-parallel reduction).
    ///
    /// The gradient always owns its storage: a pullback may hand the same tensor to
    /// several inputs, and an in-place change of one gradient (clipping, an
    /// all-reduce) must not change another.
    public func accumulateGradient(_ contribution: Tensor) {
        let plain = Compute.backend.convert(Compute.backend.reorder(contribution, to: .plain), to: value.dtype)
        if let gradient {
            self.gradient = Compute.backend.add(gradient, plain)
        } else {
            self.gradient = plain.storage === contribution.storage ? plain.copied() : plain
        }
    }

    /// The result of an op: recorded on the tape when gradients are on and some input needs one.
    ///
    /// `pullback` receives the gradient of the result and returns one gradient per
    /// input, in order, or nil for inputs that do not require one (it must not
    /// compute those).
    static func result(_ value: Tensor, inputs: [Variable], pullback: @escaping (Tensor) -> [Tensor?]) -> Variable {
        guard GradientMode.isEnabled, inputs.contains(where: \.requiresGradient) else {
            return Variable(value: value, record: nil)
        }
        return Variable(value: value, record: TapeRecord(inputs: inputs, pullback: pullback))
    }
}

/// What an op result needs for the backward pass: its inputs and its pullback.
struct TapeRecord {
    let inputs: [Variable]
    let pullback: (Tensor) -> [Tensor?]
}
