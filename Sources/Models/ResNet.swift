import Autodiff
import Layers
import TensorCore

/// A ResNet of the torchvision/timm family: stem, four stages of residual blocks, global average pool, classifier.
///
/// Shapes: [N, inputChannels, H, W] → logits [N, classes]. Parameter and buffer
/// paths are torchvision's (`conv1.weight`, `layer1.0.downsample.0.weight`,
/// `fc.bias`) and timm's for its variants (`conv1.0.weight` for the deep stem,
/// `downsample.1` / `.2` for average-pool shortcuts), so safetensors files move
/// between Hone, timm and torchvision unchanged. Initialised as torchvision does:
/// convolutions kaiming-normal (fan-out), norms 1 and 0 (0 for the last norm of each
/// branch with zero-γ), the classifier with `nn.Linear`'s default.
///
/// Mode-dependent: switch with `setTraining(_:)`, which reaches the norms, stochastic
/// depth and this model's own dropout. Stochastic depth and dropout draw from
/// `generator`; checkpoints save its `state` and restore it with
/// `SeededGenerator(seed: state)`.
public final class ResNet: ModeDependentLayer {
    public let configuration: ResNetConfiguration
    public let stem: Stem
    /// The blocks of layer1 ... layer4.
    public let stages: [[any ResidualBlock]]
    public let fc: Linear
    public var isTraining = true
    /// The source of stochastic depth's and dropout's draws.
    public var generator: SeededGenerator

    /// Builds and initialises the model `configuration` describes; it must pass `validate()`.
    public init(configuration: ResNetConfiguration, seed: UInt64) {
        do {
            try configuration.validate()
        } catch {
            preconditionFailure("\(error)")
        }
        self.configuration = configuration
        var construction = SeededGenerator(seed: seed)
        generator = SeededGenerator(seed: construction.next())
        stem = Stem(configuration: configuration, generator: &construction)
        var channels = stem.outputChannels
        var stages: [[any ResidualBlock]] = []
        var rates = configuration.dropPathRates[...]
        for (index, (width, count)) in zip(configuration.stageWidths, configuration.depth.blocksPerStage).enumerated() {
            var blocks: [any ResidualBlock] = []
            for position in 0..<count {
                let stride = index > 0 && position == 0 ? 2 : 1
                let block = Self.makeBlock(configuration: configuration, inputChannels: channels, width: width,
                                           stride: stride, dropPathRate: rates.removeFirst(),
                                           generator: &construction)
                channels = block.outputChannels
                blocks.append(block)
            }
            stages.append(blocks)
        }
        self.stages = stages
        fc = Linear(inputFeatures: channels, outputFeatures: configuration.classes, generator: &construction)
        for (_, layer) in namedLayers() {
            guard let convolution = layer as? Conv2D else { continue }
            convolution.weight.assign(Initializer.kaimingNormalFanOut.tensor(shape: convolution.weight.shape,
                                                                              using: &construction))
        }
    }

    private static func makeBlock(configuration: ResNetConfiguration, inputChannels: Int, width: Int, stride: Int,
                                  dropPathRate: Double, generator: inout SeededGenerator) -> any ResidualBlock {
        switch configuration.depth.block {
        case .basic:
            BasicBlock(inputChannels: inputChannels, outputChannels: width, stride: stride,
                       downsample: configuration.downsample, normalization: configuration.normalization,
                       zeroInitialResidualScale: configuration.zeroInitialResidualScale,
                       dropPathRate: dropPathRate, generator: &generator)
        case .bottleneck:
            Bottleneck(inputChannels: inputChannels, width: width, stride: stride,
                       stridePlacement: configuration.stridePlacement, downsample: configuration.downsample,
                       normalization: configuration.normalization,
                       zeroInitialResidualScale: configuration.zeroInitialResidualScale,
                       dropPathRate: dropPathRate, generator: &generator)
        }
    }

    /// Every residual block in order, layer1.0 first.
    public var blocks: [any ResidualBlock] { stages.flatMap { $0 } }

    public var children: [(name: String, layer: any Layer)] {
        var result = stem.children
        for (stage, blocks) in stages.enumerated() {
            result += blocks.enumerated().map { ("layer\(stage + 1).\($0.offset)", $0.element) }
        }
        result.append(("fc", fc))
        return result
    }

    /// The features after layer4, before pooling: [N, featureChannels, H / 32, W / 32] (H for small images: H / 8).
    public func features(_ input: Variable) -> Variable {
        var features = stem(input)
        for stage in stages {
            for block in stage { features = block(features, generator: &generator) }
        }
        return features
    }

    /// The logits [N, classes].
    public func callAsFunction(_ input: Variable) -> Variable {
        var pooled = globalAveragePool(features(input))
        if isTraining && configuration.dropoutRate > 0 {
            pooled = dropout(pooled, probability: Float(configuration.dropoutRate), using: &generator)
        }
        return fc(pooled)
    }
}
