import Autodiff
import Layers
import TensorCore

/// ResNet's basic block (ResNet-18/34): two 3x3 convolutions with norms on the branch, a shortcut, then ReLU.
///
/// Shapes: [N, inputChannels, H, W] → [N, outputChannels, H / stride, W / stride].
/// Names follow torchvision (`conv1`, `bn1`, `conv2`, `bn2`, `downsample.*`). The
/// stride is on conv1 whatever the stride placement (it only matters for
/// bottlenecks); the first norm fuses its ReLU, the second is the one zero-γ zeroes.
public final class BasicBlock: ResidualBlock {
    public let conv1: Conv2D
    public let bn1: NormalizationLayer
    public let conv2: Conv2D
    public let bn2: NormalizationLayer
    public let downsample: Shortcut?
    public let dropPath: DropPath
    public let outputChannels: Int

    public init(inputChannels: Int, outputChannels: Int, stride: Int,
                downsample kind: ResNetConfiguration.Downsample = .convolution,
                normalization: ResNetConfiguration.Normalization = .batch, zeroInitialResidualScale: Bool = false,
                dropPathRate: Double = 0, generator: inout SeededGenerator) {
        conv1 = Conv2D(inputChannels: inputChannels, outputChannels: outputChannels, kernelSize: 3, stride: stride,
                       padding: 1, generator: &generator)
        bn1 = NormalizationLayer(normalization, channels: outputChannels, followedByReLU: true)
        conv2 = Conv2D(inputChannels: outputChannels, outputChannels: outputChannels, kernelSize: 3, padding: 1,
                       generator: &generator)
        bn2 = NormalizationLayer(normalization, channels: outputChannels, followedByReLU: false,
                                 zeroInitialScale: zeroInitialResidualScale)
        downsample = Self.makeShortcut(kind: kind, inputChannels: inputChannels, outputChannels: outputChannels,
                                       stride: stride, normalization: normalization, generator: &generator)
        dropPath = DropPath(rate: dropPathRate)
        self.outputChannels = outputChannels
    }

    public var lastNormalization: NormalizationLayer { bn2 }
    public var branchConvolutions: [Conv2D] { [conv1, conv2] }
    public var branchNormalizations: [NormalizationLayer] { [bn1, bn2] }

    public var children: [(name: String, layer: any Layer)] {
        var result: [(name: String, layer: any Layer)] = [("conv1", conv1), ("bn1", bn1.layer), ("conv2", conv2),
                                                          ("bn2", bn2.layer)]
        if let downsample { result.append(("downsample", downsample)) }
        result.append(("drop_path", dropPath))
        return result
    }

    public func callAsFunction(_ input: Variable, generator: inout SeededGenerator) -> Variable {
        combine(branch: bn2(conv2(bn1(conv1(input)))), input: input, generator: &generator)
    }
}
