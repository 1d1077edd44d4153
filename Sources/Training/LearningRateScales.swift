import Foundation
import Layers
import Recipes

/// The per-parameter factors on the learning rate that `optimizer.layer_decay` and `optimizer.lr_multipliers` ask for.
///
/// Layer-wise decay d gives a parameter of the part at depth k (head 0, layer4 1, ...,
/// stem 5; see `ModelPart.depth`) the factor d^k, as BEiT and timm's `param_groups_layer_decay`
/// do with the head at the full rate. timm groups a ResNet by block for this; the groups
/// here are the stem, the four stages and the head. Each `lr_multipliers` entry then
/// multiplies the factor of every parameter it selects. Parameters left at 1 are not listed.
enum LearningRateScales {
    /// The factors by parameter path; every multiplier entry must select at least one of `parameters`.
    static func scales(_ section: Recipe.Optimizer,
                       parameters: [(path: String, parameter: Parameter)]) throws(ModelPartError) -> [String: Float] {
        var scales = [String: Double]()
        if let decay = section.layerDecay {
            for (path, _) in parameters {
                let depth = ModelPart.named(containing: path)?.depth ?? 0
                scales[path] = pow(decay, Double(depth))
            }
        }
        for entry in section.learningRateMultipliers {
            let part = ModelPart(entry.part)
            let selected = parameters.filter { part.contains(path: $0.path) }
            guard !selected.isEmpty else { throw .selectsNothing(key: "optimizer.lr_multipliers", part: entry.part) }
            for (path, _) in selected { scales[path, default: 1] *= entry.multiplier }
        }
        return scales.filter { $0.value != 1 }.mapValues { Float($0) }
    }

    /// A line for the run's log: each named part's factor (a range when its parameters differ), nil when all are 1.
    static func summary(_ scales: [String: Float], paths: [String]) -> String? {
        guard !scales.isEmpty else { return nil }
        var byPart: [(name: String, values: [Float])] = ModelPart.names.map { ($0, []) }
        for path in paths {
            let name = ModelPart.named(containing: path).flatMap { part in
                ModelPart.names.first { ModelPart($0) == part }
            } ?? "head"
            let index = byPart.firstIndex { $0.name == name }!
            byPart[index].values.append(scales[path] ?? 1)
        }
        let parts = byPart.filter { !$0.values.isEmpty }.map { name, values in
            let low = values.min()!, high = values.max()!
            let format = { (value: Float) in String(format: "%.4g", value) }
            return "\(name) x\(low == high ? format(low) : format(low) + "-" + format(high))"
        }
        return "learning-rate factors: " + parts.joined(separator: ", ")
    }
}
