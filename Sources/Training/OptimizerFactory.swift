import Layers
import Optimizers
import Recipes

/// Builds the optimizer a recipe's `optimizer` section names, over a model's trainable parameters.
///
/// Each optimizer takes the section's keys it uses and ignores the rest; a null `eps`
/// becomes the optimizer's reference default. Nesterov momentum with a momentum of 0 is
/// plain gradient descent (d + 0·b = d), so `nesterov` is passed on only with momentum.
enum OptimizerFactory {
    /// `parameters` are the model's `(path, parameter)` pairs; frozen ones are left out here.
    static func makeOptimizer(recipe: Recipe, parameters: [(path: String, parameter: Parameter)],
                              learningRate: Double) -> any Optimizer {
        let section = recipe.optimizer
        let trainable = parameters.filter { !$0.parameter.isFrozen }
        let rate = Float(learningRate)
        let momentum = Float(section.momentum)
        let nesterov = section.nesterov && section.momentum > 0
        let weightDecay = Float(section.weightDecay)
        precondition(section.betas.count == 2, "optimizer.betas holds two numbers, got \(section.betas)")
        let betas = (first: Float(section.betas[0]), second: Float(section.betas[1]))
        let epsilon = section.epsilon.map(Float.init)
        switch section.name {
        case .sgd:
            return SGD(parameters: trainable, learningRate: rate, momentum: momentum, nesterov: nesterov,
                       weightDecay: weightDecay, excludeBiasAndNormFromDecay: section.noBiasDecay)
        case .adamW:
            return AdamW(parameters: trainable, learningRate: rate, betas: betas,
                         epsilon: epsilon ?? AdamW.defaultEpsilon, weightDecay: weightDecay,
                         excludeBiasAndNormFromDecay: section.noBiasDecay)
        case .lars:
            return LARS(parameters: trainable, learningRate: rate, momentum: momentum, nesterov: nesterov,
                        weightDecay: weightDecay, trustCoefficient: Float(section.trustCoefficient),
                        epsilon: epsilon ?? LARS.defaultEpsilon, trustClip: section.trustClip,
                        excludeBiasAndNormFromDecay: section.noBiasDecay)
        case .lamb:
            return LAMB(parameters: trainable, learningRate: rate, betas: betas,
                        epsilon: epsilon ?? LAMB.defaultEpsilon, weightDecay: weightDecay,
                        maxGradientNorm: section.maxGradientNorm > 0 ? Float(section.maxGradientNorm) : nil,
                        trustClip: section.trustClip, excludeBiasAndNormFromDecay: section.noBiasDecay)
        case .rmspropTF:
            return RMSpropTF(parameters: trainable, learningRate: rate, alpha: Float(section.alpha),
                             epsilon: epsilon ?? RMSpropTF.defaultEpsilon, momentum: momentum,
                             weightDecay: weightDecay, excludeBiasAndNormFromDecay: section.noBiasDecay)
        }
    }
}
