import Foundation
import Layers
import TensorCore

/// Adam with decoupled weight decay, as `torch.optim.AdamW` (without amsgrad).
///
/// Per parameter p with gradient g at step t (from 1), learning rate lr and decay λ
/// (λ = 0 for parameters excluded from decay): p ← p·(1 − lr·λ); m ← β1·m + (1 − β1)·g;
/// v ← β2·v + (1 − β2)·g²; p ← p − lr/(1 − β1ᵗ) · m / (√v / √(1 − β2ᵗ) + ε). The decay
/// shrinks the weights directly instead of entering the moments, which is what separates
/// AdamW from Adam with L2 (Loshchilov & Hutter), and ε sits outside the square root.
/// t is the optimizer's step count, PyTorch's per-parameter step whenever every trainable
/// parameter has a gradient at every step, as in training a whole network.
public final class AdamW: Optimizer {
    /// PyTorch's default ε.
    public static let defaultEpsilon: Float = 1e-8

    public var learningRate: Float
    /// The decay rates (β1, β2) of the first and second moment averages, each in [0, 1).
    public let betas: (first: Float, second: Float)
    public let epsilon: Float
    public let weightDecay: Float
    /// When true, biases and normalisation parameters get no weight decay ("no bias decay").
    public let excludeBiasAndNormFromDecay: Bool
    public let parameters: [(path: String, parameter: Parameter)]
    public var learningRateScales: [String: Float] = [:]
    private var firstMoments: [String: [Float]] = [:]
    private var secondMoments: [String: [Float]] = [:]
    private var stepCount = 0

    public init(parameters: [(path: String, parameter: Parameter)], learningRate: Float,
                betas: (first: Float, second: Float) = (0.9, 0.999), epsilon: Float = AdamW.defaultEpsilon,
                weightDecay: Float = 0.01, excludeBiasAndNormFromDecay: Bool = false) {
        precondition((0..<1).contains(betas.first) && (0..<1).contains(betas.second),
                     "AdamW's betas must lie in [0, 1), got \(betas)")
        self.parameters = parameters
        self.learningRate = learningRate
        self.betas = betas
        self.epsilon = epsilon
        self.weightDecay = weightDecay
        self.excludeBiasAndNormFromDecay = excludeBiasAndNormFromDecay
    }

    public func step() {
        stepCount += 1
        let (beta1, beta2) = betas
        let firstCorrection = 1 - pow(Double(beta1), Double(stepCount))
        let correctionRoot = Float((1 - pow(Double(beta2), Double(stepCount))).squareRoot())
        for (path, parameter) in parameters where !parameter.isFrozen {
            guard let gradient = parameter.gradient else { continue }
            let learningRate = self.learningRate(forPath: path)
            let stepSize = Float(Double(learningRate) / firstCorrection)
            let count = parameter.shape.elementCount
            let values = parameter.value.storage.buffer(as: Float.self, count: count)
            let gradients = gradient.storage.buffer(as: Float.self, count: count)
            let decay = parameter.takesWeightDecay(noBiasDecay: excludeBiasAndNormFromDecay) ? weightDecay : 0
            let shrink = Float(1 - Double(learningRate) * Double(decay))
            // Taken out of the dictionaries so that updating them in place does not copy them every step.
            var first = firstMoments.removeValue(forKey: path) ?? [Float](repeating: 0, count: count)
            var second = secondMoments.removeValue(forKey: path) ?? [Float](repeating: 0, count: count)
            first.withUnsafeMutableBufferPointer { first in
                second.withUnsafeMutableBufferPointer { second in
                    for index in 0..<count {
                        let g = gradients[index]
                        values[index] *= shrink
                        first[index] = first[index] * beta1 + (1 - beta1) * g
                        second[index] = second[index] * beta2 + (1 - beta2) * (g * g)
                        let denominator = second[index].squareRoot() / correctionRoot + epsilon
                        values[index] += -stepSize * (first[index] / denominator)
                    }
                }
            }
            firstMoments[path] = first
            secondMoments[path] = second
        }
    }

    public var state: OptimizerState {
        guard !firstMoments.isEmpty else { return OptimizerState(stepCount: stepCount) }
        return OptimizerState(slots: ["exp_avg": firstMoments, "exp_avg_sq": secondMoments], stepCount: stepCount)
    }

    public func restore(_ state: OptimizerState) throws(OptimizerStateError) {
        try validate(state, slots: ["exp_avg", "exp_avg_sq"])
        firstMoments = state.slots["exp_avg"] ?? [:]
        secondMoments = state.slots["exp_avg_sq"] ?? [:]
        stepCount = state.stepCount
    }
}
