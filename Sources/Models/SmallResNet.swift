import Autodiff
import Layers
import TensorCore

/// A compact ResNet for small images (28-32 px): a 3x3 stem, basic blocks that halve the size, global pool, classifier.
///
/// Shapes: input [N, inputChannels, H, W] → logits [N, classes]. The engine's smoke
/// model from before the full ResNet family (kept for the module-tree tests);
/// convolutions are initialised as torchvision's ResNet does (kaiming normal, fan-out).
public final class SmallResNet: Layer {
    public let conv1: Conv2D
    public let bn1: BatchNorm2D
    public let blocks: [BasicBlock]
    public let fc: Linear
    /// Unused by its blocks (no stochastic depth), but their forward pass takes one.
    private var generator: SeededGenerator

    public init(inputChannels: Int, classes: Int, widths: [Int] = [16, 32, 64], seed: UInt64) {
        var generator = SeededGenerator(seed: seed)
        conv1 = Conv2D(inputChannels: inputChannels, outputChannels: widths[0], kernelSize: 3, padding: 1,
                       generator: &generator)
        bn1 = BatchNorm2D(channels: widths[0], fuseReLU: true)
        var blocks: [BasicBlock] = []
        var channels = widths[0]
        for (index, width) in widths.enumerated() {
            blocks.append(BasicBlock(inputChannels: channels, outputChannels: width, stride: index == 0 ? 1 : 2,
                                     generator: &generator))
            channels = width
        }
        self.blocks = blocks
        fc = Linear(inputFeatures: channels, outputFeatures: classes, generator: &generator)
        self.generator = SeededGenerator(seed: seed)
        for (_, layer) in namedLayers() {
            guard let convolution = layer as? Conv2D else { continue }
            convolution.weight.assign(Initializer.kaimingNormalFanOut.tensor(shape: convolution.weight.shape,
                                                                              using: &generator))
        }
    }

    public var children: [(name: String, layer: any Layer)] {
        [("conv1", conv1), ("bn1", bn1)] + blocks.enumerated().map { ("layer\($0.offset + 1).0", $0.element) }
            + [("fc", fc)]
    }

    public func callAsFunction(_ input: Variable) -> Variable {
        var features = bn1(conv1(input))
        for block in blocks { features = block(features, generator: &generator) }
        return fc(globalAveragePool(features))
    }
}
