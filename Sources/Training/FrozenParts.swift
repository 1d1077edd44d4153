import Layers
import Models
import Recipes

/// The parts of a model a recipe's `freeze` section keeps fixed, and the batch norms that stay in evaluation mode.
///
/// Freezing marks the selected parameters frozen (no gradient is computed for them) before
/// the optimizer is built, so the optimizer holds only trainable parameters: frozen ones get
/// no update, no weight decay and no state. With `norm_eval` a batch norm whose scale and
/// shift are both frozen keeps using (and keeping) its running statistics while the model
/// trains; `setTraining(_:)` must then be used instead of the model's own, because
/// evaluation switches the whole model back and forth every epoch.
struct FrozenParts {
    /// The frozen parameters' paths, in model order.
    let paths: [String]
    /// The batch norms held in evaluation mode while training (empty without `norm_eval`).
    let evaluationModeNorms: [BatchNorm2D]

    /// Freezes the parameters `section.parts` select in `model`.
    init(_ section: Recipe.Freeze, model: some Layer) throws(ModelPartError) {
        let parameters = model.namedParameters()
        var frozen = Set<String>()
        for text in section.parts {
            let part = ModelPart(text)
            let selected = parameters.filter { part.contains(path: $0.path) }
            guard !selected.isEmpty else { throw .selectsNothing(key: "freeze.parts", part: text) }
            for (path, parameter) in selected {
                parameter.isFrozen = true
                frozen.insert(path)
            }
        }
        paths = parameters.map(\.path).filter(frozen.contains)
        guard section.normEval else {
            evaluationModeNorms = []
            return
        }
        evaluationModeNorms = model.namedLayers().compactMap { $0.layer as? BatchNorm2D }
            .filter { $0.weight.isFrozen && $0.bias.isFrozen }
    }

    /// Switches `model` to training or evaluation, leaving the frozen batch norms in evaluation mode either way.
    func setTraining(_ training: Bool, model: some Layer) {
        model.setTraining(training)
        for norm in evaluationModeNorms { norm.isTraining = false }
    }

    /// A line for the run's log naming what is frozen, nil when nothing is.
    func summary(parameterCount total: Int) -> String? {
        guard !paths.isEmpty else { return nil }
        let parts = Set(paths.compactMap { ModelPart.named(containing: $0) })
        let named = ModelPart.names.filter { parts.contains(ModelPart($0)) }
        return "frozen: \(paths.count) of \(total) parameter tensors (in \(named.joined(separator: ", "))); "
            + (evaluationModeNorms.isEmpty
               ? "their batch norms keep training (freeze.norm_eval false)"
               : "\(evaluationModeNorms.count) batch norms in evaluation mode (freeze.norm_eval)")
    }
}

/// Why a part name or glob in a recipe cannot be applied to the model.
public enum ModelPartError: Error, CustomStringConvertible, Equatable {
    case selectsNothing(key: String, part: String)

    public var description: String {
        switch self {
        case let .selectsNothing(key, part):
            "\(key): '\(part)' selects no parameter of the model; expected one of "
                + "\(ModelPart.names.joined(separator: ", ")), a parameter path such as layer4.1 or a glob such as layer4.*.bn*"
        }
    }
}
