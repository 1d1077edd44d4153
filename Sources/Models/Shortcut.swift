import Autodiff
import Layers
import TensorCore

/// The projection on a residual block's shortcut when the block changes resolution or width (`downsample`).
///
/// Shapes: [N, inputChannels, H, W] → [N, outputChannels, ⌈H / stride⌉, ⌈W / stride⌉].
/// `.convolution` is a strided 1x1 convolution and a norm (children `0`, `1`, as
/// torchvision); `.averagePool` (ResNet-D) averages 2x2 windows when striding, so no
/// input pixel is skipped, then a stride-1 1x1 convolution and a norm (children
/// `1`, `2`: timm's index 0 is the parameterless pool).
public final class Shortcut: Layer {
    public let kind: ResNetConfiguration.Downsample
    public let stride: Int
    public let convolution: Conv2D
    public let normalization: NormalizationLayer

    public init(kind: ResNetConfiguration.Downsample, inputChannels: Int, outputChannels: Int, stride: Int,
                normalization: ResNetConfiguration.Normalization, generator: inout SeededGenerator) {
        self.kind = kind
        self.stride = stride
        convolution = Conv2D(inputChannels: inputChannels, outputChannels: outputChannels, kernelSize: 1,
                             stride: kind == .convolution ? stride : 1, generator: &generator)
        self.normalization = NormalizationLayer(normalization, channels: outputChannels, followedByReLU: false)
    }

    public var children: [(name: String, layer: any Layer)] {
        switch kind {
        case .convolution: [("0", convolution), ("1", normalization.layer)]
        case .averagePool: [("1", convolution), ("2", normalization.layer)]
        }
    }

    public func callAsFunction(_ input: Variable) -> Variable {
        switch kind {
        case .convolution:
            return normalization(convolution(input))
        case .averagePool:
            let pooled = stride > 1
                ? averagePool2d(input, kernel: 2, stride: stride, ceilMode: true, countIncludePadding: false)
                : input
            return normalization(convolution(pooled))
        }
    }
}
