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
        /// Background threads preparing batches; 0 prepares them on the training thread.
        public var workers: Int
        /// Train on only the first this many training images; 0 uses all (quick trials, tests).
        public var trainLimit: Int
        /// Evaluate on only the first this many evaluation images; 0 uses all.
        public var evalLimit: Int

        public init(dataset: Dataset = .fashionMNIST, path: String = "/usr/share/datasets/fashion-mnist",
                    batchSize: Int = 128, evalBatchSize: Int = 500, randomCropPadding: Int = 4,
                    horizontalFlip: Bool = true, randomErasing: Double = 0, randomErasingMode: ErasingMode = .pixel,
                    workers: Int = 1, trainLimit: Int = 0, evalLimit: Int = 0) {
            self.dataset = dataset
            self.path = path
            self.batchSize = batchSize
            self.evalBatchSize = evalBatchSize
            self.randomCropPadding = randomCropPadding
            self.horizontalFlip = horizontalFlip
            self.randomErasing = randomErasing
            self.randomErasingMode = randomErasingMode
            self.workers = workers
            self.trainLimit = trainLimit
            self.evalLimit = evalLimit
        }
    }
}
