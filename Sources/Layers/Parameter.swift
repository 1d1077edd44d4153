import Autodiff
import TensorCore

/// A trainable tensor of a layer (a weight or a bias), always plain float32: the master copy.
///
/// Its full dotted path (`layer1.0.conv1.weight`) comes from the module tree and
/// matches timm's and torchvision's names, so checkpoints interoperate and
/// optimizers key their state by it. A frozen parameter gets no gradient, and the
/// kernels that would compute one are not run.
public final class Parameter {
    /// The name within its layer ("weight", "bias").
    public let name: String
    public private(set) var variable: Variable
    /// Where the optimizer may apply weight decay (false for biases and norm parameters when a recipe says so).
    public let kind: Kind

    public enum Kind: Sendable {
        case weight, bias, normScale, normShift
    }

    public init(name: String, value: Tensor, kind: Kind) {
        precondition(value.format.isPlain && value.dtype == .float32, "parameters are plain float32")
        self.name = name
        self.kind = kind
        variable = Variable(value, requiresGradient: true)
    }

    public var value: Tensor { variable.value }
    public var gradient: Tensor? { variable.gradient }
    public var shape: Shape { value.shape }

    /// Frozen parameters take no gradient and no optimizer update.
    public var isFrozen: Bool {
        get { !variable.requiresGradient }
        set { variable = Variable(value, requiresGradient: !newValue) }
    }

    /// Replaces the value (loading weights); the shape must not change.
    public func assign(_ tensor: Tensor) {
        precondition(tensor.shape == shape, "\(name): cannot assign \(tensor.shape) to a \(shape) parameter")
        let plain = Compute.backend.convert(Compute.backend.reorder(tensor, to: .plain), to: .float32)
        value.storage.pointer.copyMemory(from: plain.storage.pointer, byteCount: value.byteCount)
    }

    public func zeroGradient() {
        variable.zeroGradient()
    }
}
