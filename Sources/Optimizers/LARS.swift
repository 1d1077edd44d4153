import Layers
import TensorCore

/// Layer-wise adaptive rate scaling: SGD whose step is rescaled per parameter by a trust ratio, as timm's `Lars`.
///
/// Per parameter p with gradient g, learning rate lr and decay λ (λ = 0 for parameters
/// excluded from decay): when λ ≠ 0, the trust ratio is r = η·‖p‖ / (‖g‖ + λ·‖p‖ + ε)
/// (η the trust coefficient; r = 1 when ‖p‖ or ‖g‖ is 0), then r ← min(r / lr, 1) with
/// `trustClip` (LARC), and d = (g + λ·p)·r; when λ = 0, d = g, neither decayed nor
/// adapted, as timm leaves groups without weight decay. Then momentum as `torch.optim.SGD`:
/// b = d on the first step, else b = μ·b + (1 − dampening)·d; the step is d + μ·b with
/// Nesterov, b without; p ← p − lr·step. Large-batch training (You et al.) needs the ratio
/// so that no layer's step outgrows its weights.
public final class LARS: Optimizer {
    /// timm's default ε.
    public static let defaultEpsilon: Float = 1e-8

    public var learningRate: Float
    public let momentum: Float
    /// The fraction of each new direction held back from the momentum buffer after the first step.
    public let dampening: Float
    public let nesterov: Bool
    public let weightDecay: Float
    /// η, the trust ratio's scale (0.001 in the paper and in timm).
    public let trustCoefficient: Float
    public let epsilon: Float
    /// Bounds the adapted rate r·lr by lr (LARC's clipping).
    public let trustClip: Bool
    /// When true, biases and normalisation parameters are neither decayed nor adapted ("no bias decay").
    public let excludeBiasAndNormFromDecay: Bool
    public let parameters: [(path: String, parameter: Parameter)]
    public var learningRateScales: [String: Float] = [:]
    private var momentumBuffers: [String: [Float]] = [:]
    private var stepCount = 0

    public init(parameters: [(path: String, parameter: Parameter)], learningRate: Float, momentum: Float = 0,
                dampening: Float = 0, nesterov: Bool = false, weightDecay: Float = 0, trustCoefficient: Float = 0.001,
                epsilon: Float = LARS.defaultEpsilon, trustClip: Bool = false,
                excludeBiasAndNormFromDecay: Bool = false) {
        precondition(!nesterov || (momentum > 0 && dampening == 0),
                     "Nesterov momentum needs a momentum above zero and no dampening")
        self.parameters = parameters
        self.learningRate = learningRate
        self.momentum = momentum
        self.dampening = dampening
        self.nesterov = nesterov
        self.weightDecay = weightDecay
        self.trustCoefficient = trustCoefficient
        self.epsilon = epsilon
        self.trustClip = trustClip
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
            let ratio = decay == 0 ? 1 : trustRatio(values: values, gradients: gradients, decay: decay,
                                                    learningRate: learningRate)
            var buffer = momentumBuffers.removeValue(forKey: path) ?? []
            let firstStep = buffer.isEmpty
            if momentum != 0 && firstStep { buffer = [Float](repeating: 0, count: count) }
            buffer.withUnsafeMutableBufferPointer { momentumValues in
                for index in 0..<count {
                    var direction = decay == 0 ? gradients[index] : (gradients[index] + decay * values[index]) * ratio
                    if momentum != 0 {
                        momentumValues[index] = firstStep
                            ? direction : momentum * momentumValues[index] + (1 - dampening) * direction
                        direction = nesterov ? direction + momentum * momentumValues[index] : momentumValues[index]
                    }
                    values[index] -= learningRate * direction
                }
            }
            if momentum != 0 { momentumBuffers[path] = buffer }
        }
    }

    /// r = η·‖p‖ / (‖g‖ + λ·‖p‖ + ε), 1 when either norm is zero; then min(r / lr, 1) with `trustClip`.
    private func trustRatio(values: UnsafeMutableBufferPointer<Float>, gradients: UnsafeMutableBufferPointer<Float>,
                            decay: Float, learningRate: Float) -> Float {
        let weightNorm = Float(values.euclideanNorm)
        let gradientNorm = Float(gradients.euclideanNorm)
        let ratio = weightNorm > 0 && gradientNorm > 0
            ? trustCoefficient * weightNorm / (gradientNorm + weightNorm * decay + epsilon) : 1
        return trustClip ? min(ratio / learningRate, 1) : ratio
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
