import Autodiff
import Layers
import TensorCore

/// The small ResNet-style network of `scripts/golden/make_end_to_end_fixture.py`, built from Hone's layers.
///
/// Exercises a stem with max pool, a stride-2 block with a ResNet-D shortcut
/// (average pool in ceil mode, then 1x1 conv and batch norm), a block with a
/// grouped and a dilated convolution, global pooling and a linear head. The first
/// batch norm of each branch fuses its ReLU, which PyTorch runs separately.
final class GoldenNetwork: Layer {
    final class DownsampleBlock: Layer {
        var generator = SeededGenerator(seed: 0)
        lazy var conv1 = Conv2D(inputChannels: 8, outputChannels: 16, kernelSize: 3, stride: 2, padding: 1, generator: &generator)
        let bn1 = BatchNorm2D(channels: 16, fuseReLU: true)
        lazy var conv2 = Conv2D(inputChannels: 16, outputChannels: 16, kernelSize: 3, padding: 1, generator: &generator)
        let bn2 = BatchNorm2D(channels: 16)
        lazy var shortcutConv = Conv2D(inputChannels: 8, outputChannels: 16, kernelSize: 1, generator: &generator)
        let shortcutNorm = BatchNorm2D(channels: 16)

        var children: [(name: String, layer: any Layer)] {
            [("conv1", conv1), ("bn1", bn1), ("conv2", conv2), ("bn2", bn2),
             ("downsample.1", shortcutConv), ("downsample.2", shortcutNorm)]
        }

        func callAsFunction(_ input: Variable) -> Variable {
            let main = bn2(conv2(bn1(conv1(input))))
            let pooled = averagePool2d(input, kernel: 2, stride: 2, ceilMode: true, countIncludePadding: false)
            return relu(main + shortcutNorm(shortcutConv(pooled)))
        }
    }

    final class GroupedDilatedBlock: Layer {
        var generator = SeededGenerator(seed: 1)
        lazy var conv1 = Conv2D(inputChannels: 16, outputChannels: 16, kernelSize: 3, padding: 1, groups: 2,
                                generator: &generator)
        let bn1 = BatchNorm2D(channels: 16, fuseReLU: true)
        lazy var conv2 = Conv2D(inputChannels: 16, outputChannels: 16, kernelSize: 3, padding: 2, dilation: 2,
                                generator: &generator)
        let bn2 = BatchNorm2D(channels: 16)

        var children: [(name: String, layer: any Layer)] {
            [("conv1", conv1), ("bn1", bn1), ("conv2", conv2), ("bn2", bn2)]
        }

        func callAsFunction(_ input: Variable) -> Variable {
            relu(bn2(conv2(bn1(conv1(input)))) + input)
        }
    }

    var generator = SeededGenerator(seed: 2)
    lazy var conv1 = Conv2D(inputChannels: 3, outputChannels: 8, kernelSize: 3, padding: 1, generator: &generator)
    let bn1 = BatchNorm2D(channels: 8, fuseReLU: true)
    let layer1 = DownsampleBlock()
    let layer2 = GroupedDilatedBlock()
    lazy var fc = Linear(inputFeatures: 16, outputFeatures: 10, generator: &generator)

    var children: [(name: String, layer: any Layer)] {
        [("conv1", conv1), ("bn1", bn1), ("layer1.0", layer1), ("layer2.0", layer2), ("fc", fc)]
    }

    func callAsFunction(_ input: Variable) -> Variable {
        let stem = maxPool2d(bn1(conv1(input)), kernel: 3, stride: 2, padding: 1)
        return fc(globalAveragePool(layer2(layer1(stem))))
    }
}
