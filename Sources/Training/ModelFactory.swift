import Models
import Recipes

/// Builds the model a recipe describes: a registry id plus the recipe's variant overrides.
enum ModelFactory {
    static func makeModel(recipe: Recipe, classes: Int, inputChannels: Int) throws(ModelFactoryError) -> ResNet {
        let section = recipe.model
        guard var configuration = ModelRegistry.configuration(id: section.name, classes: classes,
                                                              inputChannels: inputChannels) else {
            throw .unknownModel(name: section.name, known: ModelRegistry.ids)
        }
        if let stem = section.stem { configuration.stem = ResNetConfiguration.Stem(rawValue: stem.rawValue)! }
        if let downsample = section.downsample {
            configuration.downsample = ResNetConfiguration.Downsample(rawValue: downsample.rawValue)!
        }
        if let stride = section.strideIn {
            configuration.stridePlacement = ResNetConfiguration.StridePlacement(rawValue: stride.rawValue)!
        }
        switch section.norm {
        case .batch: configuration.normalization = .batch
        case .group: configuration.normalization = .group(groups: section.normGroups)
        }
        configuration.zeroInitialResidualScale = section.zeroInitResidual
        configuration.dropPathRate = section.dropPathRate
        configuration.dropoutRate = section.dropoutRate
        configuration.widthMultiplier = section.width
        do {
            try configuration.validate()
        } catch {
            throw .invalidConfiguration(error.description)
        }
        return ModelRegistry.makeModel(configuration, seed: recipe.seed)
    }
}

/// Why the recipe's model cannot be built.
public enum ModelFactoryError: Error, CustomStringConvertible {
    case unknownModel(name: String, known: [String])
    case invalidConfiguration(String)

    public var description: String {
        switch self {
        case .invalidConfiguration(let reason):
            "model: \(reason)"
        case let .unknownModel(name, known):
            "model.name: '\(name)' is not a model Hone knows; expected one of \(known.joined(separator: ", "))"
        }
    }
}
