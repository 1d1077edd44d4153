import Autodiff
import Layers
import TensorCore

/// ResNet's basic block: two 3x3 convolutions with batch norm, plus a shortcut, then ReLU.
///
/// Names follow torchvision (`conv1`, `bn1`, `conv2`, `bn2`, `downsample.0`,
/// `downsample.1`). The shortcut is a 1x1 convolution with batch norm when the
/// stride or channel count changes, the identity otherwise. The first batch norm
/// fuses its ReLU.
public final class BasicBlock: Layer {
    public let conv1: Conv2D
    public let bn1: BatchNorm2D
    public let conv2: Conv2D
    public let bn2: BatchNorm2D
    public let downsample: (conv: Conv2D, norm: BatchNorm2D)?

    public init(inputChannels: Int, outputChannels: Int, stride: Int, generator: inout SeededGenerator) {
        conv1 = Conv2D(inputChannels: inputChannels, outputChannels: outputChannels, kernelSize: 3, stride: stride,
                       padding: 1, generator: &generator)
        bn1 = BatchNorm2D(channels: outputChannels, fuseReLU: true)
        conv2 = Conv2D(inputChannels: outputChannels, outputChannels: outputChannels, kernelSize: 3, padding: 1,
                       generator: &generator)
        bn2 = BatchNorm2D(channels: outputChannels)
        if stride != 1 || inputChannels != outputChannels {
            downsample = (Conv2D(inputChannels: inputChannels, outputChannels: outputChannels, kernelSize: 1,
                                 stride: stride, generator: &generator),
                          BatchNorm2D(channels: outputChannels))
        } else {
            downsample = nil
        }
    }

    public var children: [(name: String, layer: any Layer)] {
        var result: [(name: String, layer: any Layer)] = [("conv1", conv1), ("bn1", bn1), ("conv2", conv2), ("bn2", bn2)]
        if let downsample {
            result += [("downsample.0", downsample.conv), ("downsample.1", downsample.norm)]
        }
        return result
    }

    public func callAsFunction(_ input: Variable) -> Variable {
        let residual = bn2(conv2(bn1(conv1(input))))
        let shortcut = downsample.map { $0.norm($0.conv(input)) } ?? input
        return relu(residual + shortcut)
    }
}
