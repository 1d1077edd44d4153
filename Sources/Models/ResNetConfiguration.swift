/// Everything that determines a ResNet's architecture and initialisation: depth, the B/C/D tweaks, norm, regularisers.
///
/// A typed value: the registry maps an id such as `resnet50d` to one, recipes
/// override its fields, and `ResNet(configuration:seed:)` builds it. The raw values
/// of the variant enums are the strings recipes use.
public struct ResNetConfiguration: Sendable, Equatable {
    /// How many blocks each of the four stages has, and which block they are.
    public enum Depth: Int, Sendable, CaseIterable {
        case layers18 = 18
        case layers26 = 26
        case layers34 = 34
        case layers50 = 50
        case layers101 = 101
        case layers152 = 152

        /// Blocks per stage (layer1 ... layer4).
        public var blocksPerStage: [Int] {
            switch self {
            case .layers18: [2, 2, 2, 2]
            case .layers26: [2, 2, 2, 2]
            case .layers34: [3, 4, 6, 3]
            case .layers50: [3, 4, 6, 3]
            case .layers101: [3, 4, 23, 3]
            case .layers152: [3, 8, 36, 3]
            }
        }

        /// The residual block the stages are made of.
        public var block: Block {
            switch self {
            case .layers18, .layers34: .basic
            case .layers26, .layers50, .layers101, .layers152: .bottleneck
            }
        }
    }

    /// The residual block: two 3x3 convolutions, or 1x1-3x3-1x1 with a four times wider output.
    public enum Block: String, Sendable {
        case basic
        case bottleneck

        /// Output channels per unit of stage width (`expansion` in torchvision).
        public var expansion: Int {
            switch self {
            case .basic: 1
            case .bottleneck: 4
            }
        }
    }

    /// Which convolution of a bottleneck block carries the stride (basic blocks always stride on conv1).
    public enum StridePlacement: String, Sendable, CaseIterable {
        /// The first 1x1 convolution: the original ResNet (v1), which skips three of four input pixels.
        case firstConvolution = "first"
        /// The 3x3 convolution: ResNet-B, torchvision's and timm's default.
        case middleConvolution = "middle"
    }

    /// The layers that turn the image into layer1's input.
    public enum Stem: String, Sendable, CaseIterable {
        /// 7x7 stride-2 convolution to 64 channels, norm, ReLU, 3x3 stride-2 max pool.
        case classic
        /// ResNet-C: three 3x3 convolutions (32, 32, 64 channels; the first strides 2), each normed and rectified, then the max pool.
        case deep
        /// One 3x3 stride-1 convolution to 64 channels, norm, ReLU and no pool: for 28-32 pixel images.
        case smallImage = "small-image"
    }

    /// How the shortcut of a block that changes resolution or width is projected.
    public enum Downsample: String, Sendable, CaseIterable {
        /// A strided 1x1 convolution and a norm (`downsample.0`, `downsample.1`).
        case convolution
        /// ResNet-D: a 2x2 average pool (ceil mode, padding not counted) when striding, then a 1x1 convolution and a norm (`downsample.1`, `downsample.2`).
        case averagePool = "average-pool"
    }

    /// The normalisation after every convolution.
    public enum Normalization: Sendable, Equatable {
        /// BatchNorm: statistics over the batch, running statistics for evaluation.
        case batch
        /// GroupNorm with `groups` groups: independent of the batch size.
        case group(groups: Int)

        /// The recipe's name for the kind ("batch" or "group").
        public var name: String {
            switch self {
            case .batch: "batch"
            case .group: "group"
            }
        }
    }

    public var depth: Depth
    public var stem: Stem
    public var downsample: Downsample
    public var stridePlacement: StridePlacement
    public var normalization: Normalization
    /// Starts the last norm scale of every residual branch at zero (Bag of Tricks' zero-γ), so each block starts as the identity.
    public var zeroInitialResidualScale: Bool
    /// Stochastic depth: the last block's drop-path probability; block i of n gets `dropPathRate · i / (n − 1)`. In [0, 1).
    public var dropPathRate: Double
    /// Dropout probability on the pooled features before the classifier. In [0, 1).
    public var dropoutRate: Double
    /// Multiplies every channel count, stem included; each is rounded and at least 1.
    public var widthMultiplier: Double
    /// Channels of the input image (1 for grey, 3 for colour).
    public var inputChannels: Int
    /// Outputs of the classifier.
    public var classes: Int

    public init(depth: Depth, stem: Stem = .classic, downsample: Downsample = .convolution,
                stridePlacement: StridePlacement = .middleConvolution, normalization: Normalization = .batch,
                zeroInitialResidualScale: Bool = false, dropPathRate: Double = 0, dropoutRate: Double = 0,
                widthMultiplier: Double = 1, inputChannels: Int = 3, classes: Int = 1000) {
        self.depth = depth
        self.stem = stem
        self.downsample = downsample
        self.stridePlacement = stridePlacement
        self.normalization = normalization
        self.zeroInitialResidualScale = zeroInitialResidualScale
        self.dropPathRate = dropPathRate
        self.dropoutRate = dropoutRate
        self.widthMultiplier = widthMultiplier
        self.inputChannels = inputChannels
        self.classes = classes
    }

    /// `channels` scaled by the width multiplier, rounded to the nearest integer, at least 1.
    public func scaled(_ channels: Int) -> Int {
        max(1, Int((Double(channels) * widthMultiplier).rounded()))
    }

    /// The stage widths (layer1 ... layer4) before the block's expansion: 64, 128, 256, 512 scaled.
    public var stageWidths: [Int] { [64, 128, 256, 512].map(scaled) }

    /// Channels of the stem's output (layer1's input).
    public var stemChannels: Int { scaled(64) }

    /// Channels of the pooled features the classifier sees.
    public var featureChannels: Int { stageWidths[3] * depth.block.expansion }

    /// The drop-path rate of every block in order (layer1.0 first), timm's linear rule.
    public var dropPathRates: [Double] {
        let total = depth.blocksPerStage.reduce(0, +)
        guard total > 1 else { return [Double](repeating: 0, count: total) }
        return (0..<total).map { dropPathRate * Double($0) / Double(total - 1) }
    }
}
