import Autodiff
import Layers
import TensorCore

/// ResNet's bottleneck block (ResNet-26/50/101/152): 1x1 reduce, 3x3, 1x1 expand by 4, a shortcut, then ReLU.
///
/// Shapes: [N, inputChannels, H, W] → [N, 4·width, H / stride, W / stride].
/// Names follow torchvision (`conv1` ... `bn3`, `downsample.*`). The stride sits on
/// the 3x3 convolution (ResNet-B, torchvision's default) or on the first 1x1 (the
/// original v1, which reads only one pixel in four). The first two norms fuse their
/// ReLUs; `bn3` is the one zero-γ zeroes.
public final class Bottleneck: ResidualBlock {
    /// Output channels per unit of width.
    public static let expansion = 4

    public let conv1: Conv2D
    public let bn1: NormalizationLayer
    public let conv2: Conv2D
    public let bn2: NormalizationLayer
    public let conv3: Conv2D
    public let bn3: NormalizationLayer
    public let downsample: Shortcut?
    public let dropPath: DropPath
    public let outputChannels: Int

    public init(inputChannels: Int, width: Int, stride: Int,
                stridePlacement: ResNetConfiguration.StridePlacement = .middleConvolution,
                downsample kind: ResNetConfiguration.Downsample = .convolution,
                normalization: ResNetConfiguration.Normalization = .batch, zeroInitialResidualScale: Bool = false,
                dropPathRate: Double = 0, generator: inout SeededGenerator) {
        let outputChannels = width * Self.expansion
        let firstStride = stridePlacement == .firstConvolution ? stride : 1
        conv1 = Conv2D(inputChannels: inputChannels, outputChannels: width, kernelSize: 1, stride: firstStride,
                       generator: &generator)
        bn1 = NormalizationLayer(normalization, channels: width, followedByReLU: true)
        conv2 = Conv2D(inputChannels: width, outputChannels: width, kernelSize: 3, stride: stride / firstStride,
                       padding: 1, generator: &generator)
        bn2 = NormalizationLayer(normalization, channels: width, followedByReLU: true)
        conv3 = Conv2D(inputChannels: width, outputChannels: outputChannels, kernelSize: 1, generator: &generator)
        bn3 = NormalizationLayer(normalization, channels: outputChannels, followedByReLU: false,
                                 zeroInitialScale: zeroInitialResidualScale)
        downsample = Self.makeShortcut(kind: kind, inputChannels: inputChannels, outputChannels: outputChannels,
                                       stride: stride, normalization: normalization, generator: &generator)
        dropPath = DropPath(rate: dropPathRate)
        self.outputChannels = outputChannels
    }

    public var lastNormalization: NormalizationLayer { bn3 }
    public var branchConvolutions: [Conv2D] { [conv1, conv2, conv3] }
    public var branchNormalizations: [NormalizationLayer] { [bn1, bn2, bn3] }

    public var children: [(name: String, layer: any Layer)] {
        var result: [(name: String, layer: any Layer)] = [("conv1", conv1), ("bn1", bn1.layer), ("conv2", conv2),
                                                          ("bn2", bn2.layer), ("conv3", conv3), ("bn3", bn3.layer)]
        if let downsample { result.append(("downsample", downsample)) }
        result.append(("drop_path", dropPath))
        return result
    }

    public func callAsFunction(_ input: Variable, generator: inout SeededGenerator) -> Variable {
        combine(branch: bn3(conv3(bn2(conv2(bn1(conv1(input)))))), input: input, generator: &generator)
    }
}
