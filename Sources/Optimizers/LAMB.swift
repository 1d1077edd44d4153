import Foundation
import Layers
import TensorCore

/// Layer-wise adaptive moments: an Adam direction rescaled per parameter by a trust ratio, as timm's `Lamb`.
///
/// First every gradient is divided by c = max(‖G‖ / `maxGradientNorm`, 1), where ‖G‖ is the
/// norm of all gradients together (no clipping when `maxGradientNorm` is nil). Then per
/// parameter p with clipped gradient g at step t (from 1), learning rate lr and decay λ
/// (λ = 0 for parameters excluded from decay): m ← β1·m + (1 − β1)·g;
/// v ← β2·v + (1 − β2)·g²; u = (m / (1 − β1ᵗ)) / (√v / √(1 − β2ᵗ) + ε). When λ ≠ 0,
/// u ← u + λ·p and the trust ratio r = ‖p‖ / ‖u‖ (1 when either is 0), bounded by
/// r ← min(r, 1) with `trustClip` (LAMBC), scales it; when λ = 0, r = 1, as timm leaves groups
/// without weight decay unadapted. p ← p − lr·r·u. The clipping lives inside the step, as in
/// NVIDIA's FusedLAMB, so LAMB behaves the same whether or not the trainer clips as well.
public final class LAMB: Optimizer {
    /// timm's default ε.
    public static let defaultEpsilon: Float = 1e-6

    public var learningRate: Float
    /// The decay rates (β1, β2) of the first and second moment averages, each in [0, 1).
    public let betas: (first: Float, second: Float)
    public let epsilon: Float
    public let weightDecay: Float
    /// The global gradient norm above which all gradients are scaled down to it; nil turns clipping off.
    public let maxGradientNorm: Float?
    /// Bounds the trust ratio by 1 (LAMBC).
    public let trustClip: Bool
    /// When true, biases and normalisation parameters are neither decayed nor adapted ("no bias decay").
    public let excludeBiasAndNormFromDecay: Bool
    public let parameters: [(path: String, parameter: Parameter)]
    public var learningRateScales: [String: Float] = [:]
    private var firstMoments: [String: [Float]] = [:]
    private var secondMoments: [String: [Float]] = [:]
    private var stepCount = 0

    public init(parameters: [(path: String, parameter: Parameter)], learningRate: Float,
                betas: (first: Float, second: Float) = (0.9, 0.999), epsilon: Float = LAMB.defaultEpsilon,
                weightDecay: Float = 0.01, maxGradientNorm: Float? = 1, trustClip: Bool = false,
                excludeBiasAndNormFromDecay: Bool = false) {
        precondition((0..<1).contains(betas.first) && (0..<1).contains(betas.second),
                     "LAMB's betas must lie in [0, 1), got \(betas)")
        precondition(maxGradientNorm.map { $0 > 0 } ?? true, "maxGradientNorm must be above zero, or nil")
        self.parameters = parameters
        self.learningRate = learningRate
        self.betas = betas
        self.epsilon = epsilon
        self.weightDecay = weightDecay
        self.maxGradientNorm = maxGradientNorm
        self.trustClip = trustClip
        self.excludeBiasAndNormFromDecay = excludeBiasAndNormFromDecay
    }

    public func step() {
        stepCount += 1
        let updated = parameters.filter { !$0.parameter.isFrozen && $0.parameter.gradient != nil }
        let clipDivisor = clipDivisor(of: updated.map(\.parameter))
        let (beta1, beta2) = betas
        let firstCorrection = Float(1 - pow(Double(beta1), Double(stepCount)))
        let secondCorrectionRoot = Float((1 - pow(Double(beta2), Double(stepCount))).squareRoot())
        for (path, parameter) in updated {
            guard let gradient = parameter.gradient else { continue }
            let learningRate = self.learningRate(forPath: path)
            let count = parameter.shape.elementCount
            let values = parameter.value.storage.buffer(as: Float.self, count: count)
            let gradients = gradient.storage.buffer(as: Float.self, count: count)
            let decay = parameter.takesWeightDecay(noBiasDecay: excludeBiasAndNormFromDecay) ? weightDecay : 0
            var first = firstMoments.removeValue(forKey: path) ?? [Float](repeating: 0, count: count)
            var second = secondMoments.removeValue(forKey: path) ?? [Float](repeating: 0, count: count)
            var update = [Float](repeating: 0, count: count)
            first.withUnsafeMutableBufferPointer { first in
                second.withUnsafeMutableBufferPointer { second in
                    update.withUnsafeMutableBufferPointer { update in
                        for index in 0..<count {
                            let g = gradients[index] / clipDivisor
                            first[index] = first[index] * beta1 + (1 - beta1) * g
                            second[index] = second[index] * beta2 + (1 - beta2) * (g * g)
                            let denominator = second[index].squareRoot() / secondCorrectionRoot + epsilon
                            update[index] = (first[index] / firstCorrection) / denominator + decay * values[index]
                        }
                        let ratio = decay == 0 ? 1 : trustRatio(values: values, update: update)
                        for index in 0..<count {
                            values[index] += -learningRate * (update[index] * ratio)
                        }
                    }
                }
            }
            firstMoments[path] = first
            secondMoments[path] = second
        }
    }

    /// c = max(‖G‖ / maxGradientNorm, 1) over the gradients of `parameters`; 1 without clipping.
    private func clipDivisor(of parameters: [Parameter]) -> Float {
        guard let maxGradientNorm else { return 1 }
        var squaredNorm = 0.0
        for parameter in parameters {
            guard let gradient = parameter.gradient else { continue }
            squaredNorm += gradient.storage.buffer(as: Float.self, count: parameter.shape.elementCount)
                .squaredEuclideanNorm
        }
        return max(Float(squaredNorm.squareRoot()) / maxGradientNorm, 1)
    }

    /// r = ‖p‖ / ‖u‖, 1 when either norm is zero; then min(r, 1) with `trustClip`.
    private func trustRatio(values: UnsafeMutableBufferPointer<Float>,
                            update: UnsafeMutableBufferPointer<Float>) -> Float {
        let weightNorm = Float(values.euclideanNorm)
        let updateNorm = Float(update.euclideanNorm)
        let ratio = weightNorm > 0 && updateNorm > 0 ? weightNorm / updateNorm : 1
        return trustClip ? min(ratio, 1) : ratio
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
