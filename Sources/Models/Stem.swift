import Autodiff
import Layers
import TensorCore

/// The layers before layer1: the image's first convolutions, their norms, and (except for small images) a max pool.
///
/// Shapes: [N, inputChannels, H, W] → [N, channels, H / 4, W / 4] (classic, deep) or
/// [N, channels, H, W] (small image). Its children sit at the top of the model's
/// tree, under timm's and torchvision's names: `conv1`, `bn1` for the classic and
/// small-image stems; `conv1.0`, `conv1.1`, `conv1.3`, `conv1.4`, `conv1.6`, `bn1`
/// for the deep stem (indices 2 and 5 of timm's Sequential are its ReLUs).
public final class Stem: Layer {
    public let kind: ResNetConfiguration.Stem
    /// The convolutions in order: one, or three for the deep stem.
    public let convolutions: [Conv2D]
    /// The norm after each convolution (each followed by a ReLU).
    public let normalizations: [NormalizationLayer]
    /// Channels of the output.
    public let outputChannels: Int

    public init(configuration: ResNetConfiguration, generator: inout SeededGenerator) {
        kind = configuration.stem
        outputChannels = configuration.stemChannels
        let input = configuration.inputChannels
        let widths: [Int]
        switch kind {
        case .classic:
            convolutions = [Conv2D(inputChannels: input, outputChannels: outputChannels, kernelSize: 7, stride: 2,
                                   padding: 3, generator: &generator)]
            widths = [outputChannels]
        case .deep:
            let inner = configuration.scaled(32)
            convolutions = [
                Conv2D(inputChannels: input, outputChannels: inner, kernelSize: 3, stride: 2, padding: 1,
                       generator: &generator),
                Conv2D(inputChannels: inner, outputChannels: inner, kernelSize: 3, padding: 1, generator: &generator),
                Conv2D(inputChannels: inner, outputChannels: outputChannels, kernelSize: 3, padding: 1,
                       generator: &generator),
            ]
            widths = [inner, inner, outputChannels]
        case .smallImage:
            convolutions = [Conv2D(inputChannels: input, outputChannels: outputChannels, kernelSize: 3, padding: 1,
                                   generator: &generator)]
            widths = [outputChannels]
        }
        normalizations = widths.map {
            NormalizationLayer(configuration.normalization, channels: $0, followedByReLU: true)
        }
    }

    /// Whether a 3x3 stride-2 max pool follows the last norm.
    public var hasMaxPool: Bool { kind != .smallImage }

    public var children: [(name: String, layer: any Layer)] {
        switch kind {
        case .classic, .smallImage:
            [("conv1", convolutions[0]), ("bn1", normalizations[0].layer)]
        case .deep:
            [("conv1.0", convolutions[0]), ("conv1.1", normalizations[0].layer), ("conv1.3", convolutions[1]),
             ("conv1.4", normalizations[1].layer), ("conv1.6", convolutions[2]), ("bn1", normalizations[2].layer)]
        }
    }

    public func callAsFunction(_ input: Variable) -> Variable {
        var features = input
        for (convolution, normalization) in zip(convolutions, normalizations) {
            features = normalization(convolution(features))
        }
        return hasMaxPool ? maxPool2d(features, kernel: 3, stride: 2, padding: 1) : features
    }
}
