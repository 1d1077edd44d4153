import Layers
import Optimizers
import Recipes

/// Builds the optimizer a recipe's `optimizer` section names, over a model's trainable parameters.
enum OptimizerFactory {
    /// `parameters` are the model's `(path, parameter)` pairs; frozen ones are left out here.
    static func makeOptimizer(recipe: Recipe, parameters: [(path: String, parameter: Parameter)],
                              learningRate: Double) -> any Optimizer {
        let section = recipe.optimizer
        let trainable = parameters.filter { !$0.parameter.isFrozen }
        switch section.name {
        case .sgd:
            return SGD(parameters: trainable, learningRate: Float(learningRate), momentum: Float(section.momentum),
                       nesterov: section.nesterov, weightDecay: Float(section.weightDecay),
                       excludeBiasAndNormFromDecay: section.noBiasDecay)
        }
    }
}
