import Autodiff
import TensorCore

/// A node of a model's module tree: its own parameters and buffers, and named child layers.
///
/// The tree gives every parameter and buffer a dotted path (`layer1.0.bn1.running_mean`),
/// the names PyTorch's `state_dict` uses.
public protocol Layer: AnyObject {
    /// The layer's own parameters (not its children's).
    var parameters: [Parameter] { get }
    /// The layer's own buffers (not its children's).
    var buffers: [Buffer] { get }
    /// Child layers with their names in the path.
    var children: [(name: String, layer: any Layer)] { get }
}

extension Layer {
    public var parameters: [Parameter] { [] }
    public var buffers: [Buffer] { [] }
    public var children: [(name: String, layer: any Layer)] { [] }

    /// Every parameter in the tree with its dotted path, in declaration order.
    public func namedParameters(prefix: String = "") -> [(path: String, parameter: Parameter)] {
        var result = parameters.map { (prefix + $0.name, $0) }
        for (name, child) in children { result += child.namedParameters(prefix: prefix + name + ".") }
        return result
    }

    /// Every buffer in the tree with its dotted path, in declaration order.
    public func namedBuffers(prefix: String = "") -> [(path: String, buffer: Buffer)] {
        var result = buffers.map { (prefix + $0.name, $0) }
        for (name, child) in children { result += child.namedBuffers(prefix: prefix + name + ".") }
        return result
    }

    /// Every layer in the tree (this one first) with its dotted path ("" for this one).
    public func namedLayers(prefix: String = "") -> [(path: String, layer: any Layer)] {
        var result: [(path: String, layer: any Layer)] = [(prefix.isEmpty ? "" : String(prefix.dropLast()), self)]
        for (name, child) in children { result += child.namedLayers(prefix: prefix + name + ".") }
        return result
    }

    /// Switches every mode-dependent layer (batch norm, dropout) to training or evaluation behaviour.
    public func setTraining(_ training: Bool) {
        for (_, layer) in namedLayers() {
            (layer as? any ModeDependentLayer)?.isTraining = training
        }
    }

    /// Forgets every parameter's accumulated gradient.
    public func zeroGradients() {
        for (_, parameter) in namedParameters() { parameter.zeroGradient() }
    }

    /// The number of trainable scalars.
    public var parameterCount: Int {
        namedParameters().reduce(0) { $0 + $1.parameter.shape.elementCount }
    }
}

/// A layer that behaves differently in training and evaluation.
public protocol ModeDependentLayer: Layer {
    var isTraining: Bool { get set }
}
