extension Recipe {
    /// The `data` section: which data set, where it lives, batch sizes, augmentation and loader threads.
    ///
    /// The data set is an enum so a recipe names only what Hone can read; a new data set is
    /// a new case here and a new branch where the loader is built.
    public struct Data: Sendable, Equatable {
        /// A data set Hone can read.
        public enum Dataset: String, Sendable, CaseIterable {
            /// Zalando's Fashion-MNIST in IDX files: 60,000 training and 10,000 test images, 28x28 grey, 10 classes.
            case fashionMNIST = "fashion-mnist"
            /// torchvision's ImageFolder: `path/<split>/<class>/<image>`, classes sorted by name.
            case imageFolder = "image-folder"
            /// List files `path/<split>` of `image,label` (or `image label`) lines, images relative to `path`.
            case imageList = "image-list"
            /// WebDataset tar shards: `path/<split>` is one `.tar` or a folder of them (`key.jpg` + `key.cls` per sample).
            case webDataset = "webdataset"
            /// CIFAR-10's binary release (`data_batch_1.bin` ... `test_batch.bin` in `path`), held in memory.
            case cifar10Binary = "cifar10-binary"
            /// CIFAR-100's binary release (`train.bin`, `test.bin` in `path`) with its 100 fine labels, held in memory.
            case cifar100Binary = "cifar100-binary"
        }

        /// The resampling filter of resizes and crops (PIL's).
        public enum Interpolation: String, Sendable, CaseIterable {
            case bilinear, bicubic, nearest
        }

        /// How mixup/CutMix parameters are shared across a batch (timm's `--mixup-mode`).
        public enum MixupMode: String, Sendable, CaseIterable {
            case batch, pair, elem
        }

        /// What the loader does with an unreadable image.
        public enum BadSamples: String, Sendable, CaseIterable {
            /// Stop with the file's name and the reason.
            case fail
            /// Use the next image instead, log the bad one, stop after `bad_samples_limit` in a row.
            case skip
        }

        /// What random erasing fills its rectangle with, named as timm's `--remode`.
        public enum ErasingMode: String, Sendable, CaseIterable {
            /// The per-channel mean (zero after standardisation).
            case const
            /// One standard-normal value per channel.
            case rand
            /// A standard-normal value per pixel and channel.
            case pixel
        }

        /// The data set.
        public var dataset: Dataset
        /// The folder holding the data set's files.
        public var path: String
        /// Images per training step; greater than 0.
        public var batchSize: Int
        /// Images per evaluation batch; greater than 0.
        public var evalBatchSize: Int
        /// Zero pixels added on each side before a random crop back to the original size; 0 turns the crop off.
        public var randomCropPadding: Int
        /// Mirrors half the training images left to right.
        public var horizontalFlip: Bool
        /// Chance that a training image gets one random rectangle erased (timm's `--reprob`); 0 turns it off.
        public var randomErasing: Double
        /// The fill of erased rectangles (timm's `--remode`).
        public var randomErasingMode: ErasingMode
        /// Erase 1 to this many rectangles per erased image (timm's `--recount`).
        public var randomErasingCount: Int
        /// Background threads preparing batches; 0 prepares them on the training thread.
        public var workers: Int
        /// Train on only this many training images, evenly spaced over the set; 0 uses all (quick trials, tests).
        public var trainLimit: Int
        /// Evaluate on only this many evaluation images, evenly spaced over the set; 0 uses all.
        public var evalLimit: Int
        /// The training split: a folder under `path` (image-folder), a list file there (image-list), or a shard or folder of shards (webdataset).
        public var trainSplit: String
        /// The evaluation split, as `trainSplit`.
        public var evalSplit: String
        /// Decode every image once into memory (same-sized images, e.g. CIFAR), then crop and flip as for Fashion-MNIST.
        public var inMemory: Bool
        /// Training crop side (RandomResizedCrop output when streaming); 0 keeps the stored size (in memory only).
        public var imageSize: Int
        /// Evaluation side (after resize + centre crop); 0 means `image_size`.
        public var evalImageSize: Int
        /// Evaluation centre-crop fraction: the shorter side is resized to ⌊size / crop_pct⌋ first (timm's `crop_pct`).
        public var cropPct: Double
        /// Filter of every resize.
        public var interpolation: Interpolation
        /// RandomResizedCrop's range of area fractions (timm's `--scale`).
        public var scale: ClosedRange<Double>
        /// RandomResizedCrop's range of aspect ratios (timm's `--ratio`).
        public var ratio: ClosedRange<Double>
        /// Colour jitter strength for brightness, contrast and saturation (timm's `--color-jitter`); 0 turns it off.
        public var colorJitter: Double
        /// Probability of converting a training image to grey (torchvision's `RandomGrayscale`); streamed data only.
        public var grayscale: Double = 0
        /// Probability of a Gaussian blur, kernel 23 px and σ uniform in [0.1, 2] (torchvision's `GaussianBlur`); streamed data only.
        public var gaussianBlur: Double = 0
        /// AlexNet-style PCA lighting noise: the eigenvalue scale's standard deviation (0.1 in Bag of Tricks); streamed data only.
        public var lighting: Double = 0
        /// timm's `--aa` string (`rand-m9-mstd0.5-inc1`, `original`, `v0`, `trivialaugment`); null turns it off.
        /// Streamed data only; like timm, it turns colour jitter off.
        public var autoAugment: String?
        /// Per-channel mean for standardisation; empty: measured on the training set in memory, ImageNet's when streaming.
        public var mean: [Double]
        /// Per-channel standard deviation, as `mean`.
        public var std: [Double]
        /// Mixup α (timm's `--mixup`); 0 turns mixup off.
        public var mixup: Double
        /// CutMix α (timm's `--cutmix`); 0 turns CutMix off.
        public var cutmix: Double
        /// Probability that a batch (pair, element) is mixed at all.
        public var mixupProb: Double
        /// With both on, the probability of CutMix rather than mixup.
        public var mixupSwitchProb: Double
        /// How mixing draws are shared across a batch.
        public var mixupMode: MixupMode
        /// Repeated augmentation: each image this many times per epoch, spread over replicas (timm's `--aug-repeats`); 1 is off.
        public var repeatedAugmentation: Int
        /// What to do with unreadable images.
        public var badSamples: BadSamples
        /// Under `skip`, stop after this many unreadable images in a row.
        public var badSamplesLimit: Int
        /// Accept class folders without images (logged by name) instead of stopping (image-folder).
        public var allowEmptyClasses: Bool
        /// A class-map file (one class name per line, or `name id` pairs; relative to `path`) fixing the class ids;
        /// null numbers classes in sorted order (image-folder) or by label (image-list).
        public var classMap: String?
        /// List-file lines carry several labels each (image-list); the targets are multi-hot.
        public var multiLabel: Bool

        public init(dataset: Dataset = .fashionMNIST, path: String = "/usr/share/datasets/fashion-mnist",
                    batchSize: Int = 128, evalBatchSize: Int = 500, randomCropPadding: Int = 4,
                    horizontalFlip: Bool = true, randomErasing: Double = 0, randomErasingMode: ErasingMode = .pixel,
                    randomErasingCount: Int = 1,
                    workers: Int = 1, trainLimit: Int = 0, evalLimit: Int = 0, trainSplit: String = "train",
                    evalSplit: String = "test", inMemory: Bool = false, imageSize: Int = 0, evalImageSize: Int = 0,
                    cropPct: Double = 0.875, interpolation: Interpolation = .bilinear,
                    scale: ClosedRange<Double> = 0.08...1, ratio: ClosedRange<Double> = 0.75...(4.0 / 3),
                    colorJitter: Double = 0, autoAugment: String? = nil, mean: [Double] = [], std: [Double] = [], mixup: Double = 0,
                    cutmix: Double = 0, mixupProb: Double = 1, mixupSwitchProb: Double = 0.5,
                    mixupMode: MixupMode = .batch, repeatedAugmentation: Int = 1, badSamples: BadSamples = .fail,
                    badSamplesLimit: Int = 10, allowEmptyClasses: Bool = false, classMap: String? = nil,
                    multiLabel: Bool = false) {
            self.dataset = dataset
            self.path = path
            self.batchSize = batchSize
            self.evalBatchSize = evalBatchSize
            self.randomCropPadding = randomCropPadding
            self.horizontalFlip = horizontalFlip
            self.randomErasing = randomErasing
            self.randomErasingMode = randomErasingMode
            self.randomErasingCount = randomErasingCount
            self.workers = workers
            self.trainLimit = trainLimit
            self.evalLimit = evalLimit
            self.trainSplit = trainSplit
            self.evalSplit = evalSplit
            self.inMemory = inMemory
            self.imageSize = imageSize
            self.evalImageSize = evalImageSize
            self.cropPct = cropPct
            self.interpolation = interpolation
            self.scale = scale
            self.ratio = ratio
            self.colorJitter = colorJitter
            self.autoAugment = autoAugment
            self.mean = mean
            self.std = std
            self.mixup = mixup
            self.cutmix = cutmix
            self.mixupProb = mixupProb
            self.mixupSwitchProb = mixupSwitchProb
            self.mixupMode = mixupMode
            self.repeatedAugmentation = repeatedAugmentation
            self.badSamples = badSamples
            self.badSamplesLimit = badSamplesLimit
            self.allowEmptyClasses = allowEmptyClasses
            self.classMap = classMap
            self.multiLabel = multiLabel
        }
    }
}
