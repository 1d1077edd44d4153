import Layers

/// An update rule over a model's parameters: what the trainer, the benchmark and checkpoints need of SGD, AdamW, LAMB….
///
/// Each optimizer owns its list of `(path, parameter)` pairs (dotted paths as in the
/// state dictionary) and keys its per-parameter state by that path, so the state
/// survives rebuilding the model from a checkpoint. `learningRate` is set by the
/// schedule before every `step()`; `learningRateScales` multiplies it per parameter
/// (layer-wise decay, per-part multipliers), so every update rule gets per-part rates
/// from one mechanism, the way PyTorch's parameter groups each carry their own `lr`.
public protocol Optimizer: AnyObject {
    /// The learning rate of the next `step()`.
    var learningRate: Float { get set }
    /// Factors on `learningRate` by parameter path; a path not listed trains at `learningRate` itself.
    var learningRateScales: [String: Float] { get set }
    /// The parameters it updates, by dotted path.
    var parameters: [(path: String, parameter: Parameter)] { get }
    /// Applies one update to every parameter that has a gradient; frozen parameters are untouched.
    func step()
    /// The state to checkpoint: per-parameter slots and the step counter.
    var state: OptimizerState { get }
    /// Restores a state saved by `state`; throws when a slot is unknown or does not fit its parameter.
    func restore(_ state: OptimizerState) throws(OptimizerStateError)
}

extension Optimizer {
    /// The learning rate of the parameter at `path` in the next step: `learningRate` times its scale.
    public func learningRate(forPath path: String) -> Float {
        guard let scale = learningRateScales[path] else { return learningRate }
        return learningRate * scale
    }

    /// Forgets every parameter's gradient (call before the next forward pass).
    public func zeroGradients() {
        for (_, parameter) in parameters { parameter.zeroGradient() }
    }

    /// Checks `state` against this optimizer's parameters and slot names; used by `restore`.
    public func validate(_ state: OptimizerState, slots allowed: Set<String>) throws(OptimizerStateError) {
        let sizes = Dictionary(uniqueKeysWithValues: parameters.map { ($0.path, $0.parameter.shape.elementCount) })
        for (slot, buffers) in state.slots {
            guard allowed.contains(slot) else { throw .unknownSlot(slot, expected: allowed.sorted()) }
            for (path, values) in buffers {
                guard let size = sizes[path] else { throw .unknownParameter(path, slot: slot) }
                guard size == values.count else {
                    throw .sizeMismatch(path, slot: slot, expected: size, found: values.count)
                }
            }
        }
    }
}
