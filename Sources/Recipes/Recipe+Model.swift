extension Recipe {
    /// The `model` section: a registry id plus the variant switches that override the id's own choices.
    ///
    /// `stem`, `downsample` and `strideIn` are optional: nil keeps what the registry id
    /// implies (`resnet50d` already has the deep stem and average-pool downsampling), a value
    /// overrides it. The others always apply. The names follow Bag of Tricks: ResNet-B is
    /// `strideIn: .middle`, ResNet-C is `stem: .deep`, ResNet-D is `downsample: .averagePool`.
    public struct Model: Sendable, Equatable {
        /// The stem that turns the image into the first feature map.
        public enum Stem: String, Sendable, CaseIterable {
            /// One 7x7 stride-2 convolution and a 3x3 stride-2 max pool (the original ResNet).
            case classic
            /// Three 3x3 convolutions then the max pool (ResNet-C).
            case deep
            /// One 3x3 stride-1 convolution and no pool, for 28-32 pixel images (the CIFAR ResNet stem).
            case smallImage = "small-image"
        }

        /// How a block's shortcut changes resolution and width when the block downsamples.
        public enum Downsample: String, Sendable, CaseIterable {
            /// A strided 1x1 convolution (the original ResNet).
            case convolution
            /// A 2x2 average pool then a 1x1 convolution (ResNet-D).
            case averagePool = "average-pool"
        }

        /// Which convolution of a bottleneck block carries the stride.
        public enum StridePlacement: String, Sendable, CaseIterable {
            /// The first 1x1 convolution (the original ResNet).
            case first
            /// The middle 3x3 convolution (ResNet-B), so no input pixel is skipped.
            case middle
        }

        /// The normalisation layer after each convolution.
        public enum Normalization: String, Sendable, CaseIterable {
            /// BatchNorm, statistics over the batch.
            case batch
            /// GroupNorm with `normGroups` groups, independent of the batch size.
            case group
        }

        /// A model id from the registry, such as `resnet18` or `resnet50d`.
        public var name: String
        /// Overrides the id's stem; nil keeps it.
        public var stem: Stem?
        /// Overrides the id's shortcut downsampling; nil keeps it.
        public var downsample: Downsample?
        /// Overrides where a bottleneck block strides; nil keeps it.
        public var strideIn: StridePlacement?
        /// The normalisation layer.
        public var norm: Normalization
        /// Groups per GroupNorm layer; used when `norm` is `.group`. Greater than 0.
        public var normGroups: Int
        /// With `norm: batch` under `mpirun`, normalises with the statistics of the global batch across every rank
        /// (SyncBN, as `nn.SyncBatchNorm`) instead of each rank's own share; a single process is unaffected.
        public var syncBatchNorm: Bool
        /// Starts the last normalisation scale of every residual block at zero (Bag of Tricks' zero-gamma).
        public var zeroInitResidual: Bool
        /// The stochastic depth (drop path) rate of the residual branches, in [0, 1); 0 turns it off.
        public var dropPathRate: Double
        /// The dropout rate before the classifier, in [0, 1).
        public var dropoutRate: Double
        /// Multiplies every stage's channel count; greater than 0.
        public var width: Double

        public init(name: String = "resnet18", stem: Stem? = nil, downsample: Downsample? = nil,
                    strideIn: StridePlacement? = nil, norm: Normalization = .batch, normGroups: Int = 32,
                    syncBatchNorm: Bool = false, zeroInitResidual: Bool = false, dropPathRate: Double = 0, dropoutRate: Double = 0,
                    width: Double = 1) {
            self.name = name
            self.stem = stem
            self.downsample = downsample
            self.strideIn = strideIn
            self.norm = norm
            self.normGroups = normGroups
            self.syncBatchNorm = syncBatchNorm
            self.zeroInitResidual = zeroInitResidual
            self.dropPathRate = dropPathRate
            self.dropoutRate = dropoutRate
            self.width = width
        }
    }
}
