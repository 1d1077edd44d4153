import Layers
import TensorCore

/// Stochastic gradient descent with momentum, Nesterov momentum and L2 weight decay, as `torch.optim.SGD`.
///
/// Per parameter p with gradient g: d = g + λ·p (λ = 0 for parameters excluded from
/// decay); the momentum buffer b = μ·b + d (b = d on the first step); the step is
/// d + μ·b with Nesterov, b without; p ← p − lr·step. State is keyed by the
/// parameter's dotted path, so it survives rebuilding the model from a checkpoint.
public final class SGD: Optimizer {
    public var learningRate: Float
    public let momentum: Float
    public let nesterov: Bool
    public let weightDecay: Float
    /// When true, biases and normalisation parameters get no weight decay ("no bias decay").
    public let excludeBiasAndNormFromDecay: Bool
    public let parameters: [(path: String, parameter: Parameter)]
    public var learningRateScales: [String: Float] = [:]
    private var momentumBuffers: [String: [Float]] = [:]
    private var stepCount = 0

    public init(parameters: [(path: String, parameter: Parameter)], learningRate: Float, momentum: Float = 0,
                nesterov: Bool = false, weightDecay: Float = 0, excludeBiasAndNormFromDecay: Bool = false) {
        precondition(!nesterov || momentum > 0, "Nesterov momentum needs a momentum above zero")
        self.parameters = parameters
        self.learningRate = learningRate
        self.momentum = momentum
        self.nesterov = nesterov
        self.weightDecay = weightDecay
        self.excludeBiasAndNormFromDecay = excludeBiasAndNormFromDecay
    }

    public func step() {
        stepCount += 1
        for (path, parameter) in parameters where !parameter.isFrozen {
            guard let gradient = parameter.gradient else { continue }
            let learningRate = self.learningRate(forPath: path)
            let count = parameter.shape.elementCount
            let values = parameter.value.storage.buffer(as: Float.self, count: count)
            let gradients = gradient.storage.buffer(as: Float.self, count: count)
            let decay = parameter.takesWeightDecay(noBiasDecay: excludeBiasAndNormFromDecay) ? weightDecay : 0
            // Taken out of the dictionary so that updating it in place does not copy it every step.
            var buffer = momentumBuffers.removeValue(forKey: path) ?? []
            let firstStep = buffer.isEmpty
            if momentum != 0 && firstStep { buffer = [Float](repeating: 0, count: count) }
            buffer.withUnsafeMutableBufferPointer { momentumValues in
                for index in 0..<count {
                    var direction = gradients[index] + decay * values[index]
                    if momentum != 0 {
                        momentumValues[index] = firstStep ? direction : momentum * momentumValues[index] + direction
                        direction = nesterov ? direction + momentum * momentumValues[index] : momentumValues[index]
                    }
                    values[index] -= learningRate * direction
                }
            }
            if momentum != 0 { momentumBuffers[path] = buffer }
        }
    }

    public var state: OptimizerState {
        OptimizerState(slots: momentumBuffers.isEmpty ? [:] : ["momentum": momentumBuffers], stepCount: stepCount)
    }

    public func restore(_ state: OptimizerState) throws(OptimizerStateError) {
        try validate(state, slots: ["momentum"])
        momentumBuffers = state.slots["momentum"] ?? [:]
        stepCount = state.stepCount
    }
}
