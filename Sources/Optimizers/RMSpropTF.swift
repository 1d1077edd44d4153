import Layers
import TensorCore

/// RMSprop with TensorFlow's conventions, as timm's `RMSpropTF` (not centered, L2 decay rather than decoupled).
///
/// Per parameter p with gradient g, learning rate lr and decay λ (λ = 0 for parameters
/// excluded from decay): d = g + λ·p; the mean square s ← s + (1 − α)·(d² − s), starting
/// from s = 1 rather than 0; the scaled direction q = d / √(s + ε), with ε inside the
/// square root. With momentum μ > 0 and `learningRateInMomentum` (TensorFlow's way)
/// b ← μ·b + lr·q and p ← p − b; without it (PyTorch's way) b ← μ·b + q and p ← p − lr·b;
/// with μ = 0, p ← p − lr·q. The buffer b starts at 0. These are the conventions under
/// which the EfficientNet and MobileNet hyper-parameters (α 0.9, ε 1e-3) were tuned.
public final class RMSpropTF: Optimizer {
    /// timm's default ε.
    public static let defaultEpsilon: Float = 1e-10

    public var learningRate: Float
    /// α, the decay rate of the mean square.
    public let alpha: Float
    public let epsilon: Float
    public let momentum: Float
    public let weightDecay: Float
    /// Accumulates lr·q in the momentum buffer (TensorFlow) rather than scaling the buffer by lr (PyTorch).
    public let learningRateInMomentum: Bool
    /// When true, biases and normalisation parameters get no weight decay ("no bias decay").
    public let excludeBiasAndNormFromDecay: Bool
    public let parameters: [(path: String, parameter: Parameter)]
    public var learningRateScales: [String: Float] = [:]
    private var squareAverages: [String: [Float]] = [:]
    private var momentumBuffers: [String: [Float]] = [:]
    private var stepCount = 0

    public init(parameters: [(path: String, parameter: Parameter)], learningRate: Float, alpha: Float = 0.9,
                epsilon: Float = RMSpropTF.defaultEpsilon, momentum: Float = 0, weightDecay: Float = 0,
                learningRateInMomentum: Bool = true, excludeBiasAndNormFromDecay: Bool = false) {
        precondition(alpha >= 0, "RMSprop's alpha must not be negative, got \(alpha)")
        precondition(momentum >= 0, "RMSprop's momentum must not be negative, got \(momentum)")
        self.parameters = parameters
        self.learningRate = learningRate
        self.alpha = alpha
        self.epsilon = epsilon
        self.momentum = momentum
        self.weightDecay = weightDecay
        self.learningRateInMomentum = learningRateInMomentum
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
            var squares = squareAverages.removeValue(forKey: path) ?? [Float](repeating: 1, count: count)
            var buffer = momentumBuffers.removeValue(forKey: path) ?? []
            if momentum > 0 && buffer.isEmpty { buffer = [Float](repeating: 0, count: count) }
            squares.withUnsafeMutableBufferPointer { squares in
                buffer.withUnsafeMutableBufferPointer { momentumValues in
                    for index in 0..<count {
                        let direction = gradients[index] + decay * values[index]
                        squares[index] += (1 - alpha) * (direction * direction - squares[index])
                        let scaled = direction / (squares[index] + epsilon).squareRoot()
                        if momentum > 0 {
                            let scaledStep = learningRateInMomentum ? learningRate * scaled : scaled
                            momentumValues[index] = momentumValues[index] * momentum + scaledStep
                            values[index] += learningRateInMomentum
                                ? -momentumValues[index] : -learningRate * momentumValues[index]
                        } else {
                            values[index] += -learningRate * scaled
                        }
                    }
                }
            }
            squareAverages[path] = squares
            if momentum > 0 { momentumBuffers[path] = buffer }
        }
    }

    public var state: OptimizerState {
        var slots: [String: [String: [Float]]] = [:]
        if !squareAverages.isEmpty { slots["square_avg"] = squareAverages }
        if !momentumBuffers.isEmpty { slots["momentum"] = momentumBuffers }
        return OptimizerState(slots: slots, stepCount: stepCount)
    }

    public func restore(_ state: OptimizerState) throws(OptimizerStateError) {
        try validate(state, slots: momentum > 0 ? ["square_avg", "momentum"] : ["square_avg"])
        squareAverages = state.slots["square_avg"] ?? [:]
        momentumBuffers = state.slots["momentum"] ?? [:]
        stepCount = state.stepCount
    }
}
