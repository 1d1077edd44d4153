import DataPipeline
import Foundation
import Recipes

/// How many training images the recipe's data set holds (before `train_limit`), found without decoding any.
public func trainingImageCount(of recipe: Recipe) throws -> Int {
    let data = recipe.data
    let root = URL(fileURLWithPath: (data.path as NSString).expandingTildeInPath, isDirectory: true)
    switch data.dataset {
    case .fashionMNIST:
        return try FashionMNIST.load(split: .train, directory: root).count
    case .cifar10Binary:
        return try CIFARBinary.load(split: .train, directory: root, labelSet: .cifar10).count
    case .cifar100Binary:
        return try CIFARBinary.load(split: .train, directory: root, labelSet: .cifar100Fine).count
    case .imageFolder, .imageList, .webDataset:
        return try TrainingData.index(split: data.trainSplit, key: "data.train_split", data: data, root: root).count
    }
}

/// The data a recipe trains and evaluates on: class names, image shape, statistics and the two loaders.
///
/// Three ways in, chosen by the recipe:
/// - Fashion-MNIST (IDX) and `in_memory` image sets are decoded once into RAM and
///   served by `BatchLoader` (padded random crop, flip, erasing, mixing), with the
///   training set's own per-channel statistics unless the recipe gives them;
/// - `image-folder` and `image-list` data otherwise stream from disk through
///   `ImageLoader`: RandomResizedCrop + flip + colour jitter for training, resize +
///   centre crop (`crop_pct`) for evaluation, ImageNet statistics unless given.
/// The training loader shuffles (or repeats augmentations) and drops the last
/// partial batch; the evaluation loader visits every image exactly once in order.
struct TrainingData {
    let classNames: [String]
    let channels: Int
    let trainingCount: Int
    let evaluationCount: Int
    let statistics: ChannelStatistics
    let trainingLoader: any EpochBatchSource
    let evaluationLoader: any EpochBatchSource
    /// Images the training loader skipped as unreadable (under `bad_samples: skip`).
    let skippedSamples: SkippedSampleLog?
    /// Classes without any training image (only with `allow_empty_classes`), to be logged.
    var emptyClasses: [String] = []
    /// The share of the data this process serves.
    let replica: ReplicaShare

    /// ImageNet's per-channel mean and deviation (timm's defaults for streamed RGB data).
    static let imageNetStatistics = ChannelStatistics(mean: [0.485, 0.456, 0.406], deviation: [0.229, 0.224, 0.225])

    /// The recipe's data; with several ranks, `replica`'s share, in training batches of `data.batch_size / replica.count`.
    init(recipe: Recipe, replica: ReplicaShare = .whole) throws {
        let data = recipe.data
        let root = URL(fileURLWithPath: (data.path as NSString).expandingTildeInPath, isDirectory: true)
        switch data.dataset {
        case .fashionMNIST:
            try self.init(inMemory: try FashionMNIST.load(split: .train, directory: root),
                          evaluation: try FashionMNIST.load(split: .test, directory: root), recipe: recipe,
                          replica: replica)
        case .cifar10Binary, .cifar100Binary:
            let labels: CIFARBinary.LabelSet = data.dataset == .cifar10Binary ? .cifar10 : .cifar100Fine
            try self.init(inMemory: try CIFARBinary.load(split: .train, directory: root, labelSet: labels),
                          evaluation: try CIFARBinary.load(split: .test, directory: root, labelSet: labels),
                          recipe: recipe, replica: replica)
        case .imageFolder, .imageList, .webDataset:
            let training = try Self.index(split: data.trainSplit, key: "data.train_split", data: data, root: root)
            let evaluation = try Self.index(split: data.evalSplit, key: "data.eval_split", data: data, root: root)
            guard training.classNames == evaluation.classNames else {
                throw DataConfigurationError(
                    key: "data.eval_split",
                    message: "'\(data.evalSplit)' has classes \(evaluation.classNames.prefix(5)) but '\(data.trainSplit)' "
                        + "has \(training.classNames.prefix(5)); both splits need the same classes")
            }
            if data.inMemory {
                let size = data.imageSize > 0 ? (width: data.imageSize, height: data.imageSize) : nil
                let threads = max(ProcessInfo.processInfo.activeProcessorCount, 1)
                try self.init(
                    inMemory: try LabeledImageSet.decoding(training, samples: Self.evenlySpaced(data.trainLimit, of: training.count),
                                                           resizingTo: size, threads: threads),
                    evaluation: try LabeledImageSet.decoding(evaluation, samples: Self.evenlySpaced(data.evalLimit, of: evaluation.count),
                                                             resizingTo: size, threads: threads),
                    recipe: recipe, replica: replica)
            } else {
                try self.init(streaming: training, evaluation: evaluation, recipe: recipe, replica: replica)
            }
            emptyClasses = training.classesWithoutSamples()
        }
    }

    /// Loaders over two image sets held in memory.
    private init(inMemory training: LabeledImageSet, evaluation: LabeledImageSet, recipe: Recipe,
                 replica: ReplicaShare) throws {
        let data = recipe.data
        let batchSize = data.batchSize / replica.count
        self.replica = replica
        let streamedOnly = [("data.auto_augment", data.autoAugment != nil), ("data.color_jitter", data.colorJitter > 0),
                            ("data.grayscale", data.grayscale > 0), ("data.gaussian_blur", data.gaussianBlur > 0),
                            ("data.lighting", data.lighting > 0)]
        for (key, isSet) in streamedOnly where isSet {
            throw DataConfigurationError(key: key, message: "applies to streamed image data (image-folder or image-list "
                                             + "with in_memory: false); in-memory sets get crop, flip, erasing and mixing")
        }
        let training = Self.evenlySpacedSubset(training, limit: data.trainLimit)
        let evaluation = Self.evenlySpacedSubset(evaluation, limit: data.evalLimit)
        classNames = training.classNames
        channels = training.channels
        trainingCount = training.count
        evaluationCount = evaluation.count
        statistics = try Self.statistics(data, channels: training.channels) ?? ChannelStatistics.measure(training)
        trainingLoader = BatchLoader(
            set: training, batchSize: batchSize, shuffle: true, dropLast: true,
            augmentation: Self.trainingAugmentation(data), statistics: statistics, seed: recipe.seed,
            workers: data.workers, sampler: replica.sampler(Self.trainingOrder(data)),
            mixing: try Self.mixing(recipe, batchSize: batchSize))
        evaluationLoader = BatchLoader(
            set: evaluation, batchSize: data.evalBatchSize, shuffle: false, dropLast: false,
            augmentation: .none, statistics: statistics, seed: recipe.seed, workers: data.workers,
            sampler: replica.evaluation)
        skippedSamples = nil
    }

    /// Loaders that read, decode and transform image files every epoch.
    private init(streaming training: SampleIndex, evaluation: SampleIndex, recipe: Recipe,
                 replica: ReplicaShare) throws {
        let data = recipe.data
        let batchSize = data.batchSize / replica.count
        self.replica = replica
        guard data.imageSize > 0 else {
            throw DataConfigurationError(
                key: "data.image_size",
                message: "streamed image data needs a crop size > 0 (e.g. 224), or in_memory: true for same-sized images")
        }
        classNames = training.classNames
        channels = 3
        trainingCount = data.trainLimit > 0 ? min(data.trainLimit, training.count) : training.count
        evaluationCount = data.evalLimit > 0 ? min(data.evalLimit, evaluation.count) : evaluation.count
        statistics = try Self.statistics(data, channels: 3) ?? Self.imageNetStatistics
        let interpolation = Self.interpolation(data.interpolation)
        var trainingTransform = ImageTransform(
            geometry: .randomResizedCrop(RandomResizedCrop(size: data.imageSize, scale: data.scale, ratio: data.ratio,
                                                           interpolation: interpolation)),
            horizontalFlip: data.horizontalFlip)
        if let configuration = data.autoAugment {
            let hyperparameters = AugmentHyperparameters(
                fill: FillColor(means: statistics.mean.map(Double.init)), interpolation: .fixed(interpolation),
                translateConstant: Int(Double(data.imageSize) * 0.45))
            do {
                trainingTransform.automaticAugmentation = try AutomaticAugmentation(parsing: configuration,
                                                                                    hyperparameters: hyperparameters)
            } catch {
                throw DataConfigurationError(key: "data.auto_augment", message: error.description)
            }
        } else if data.colorJitter > 0 {
            trainingTransform.colorJitter = ColorJitter(brightness: data.colorJitter, contrast: data.colorJitter,
                                                        saturation: data.colorJitter)
        }
        if data.grayscale > 0 { trainingTransform.grayscale = RandomGrayscale(probability: data.grayscale) }
        if data.gaussianBlur > 0 { trainingTransform.gaussianBlur = RandomGaussianBlur(probability: data.gaussianBlur) }
        if data.lighting > 0 { trainingTransform.lighting = PCALighting(standardDeviation: data.lighting) }
        trainingTransform.randomErasing = Self.trainingAugmentation(data).randomErasing
        let evaluationSize = data.evalImageSize > 0 ? data.evalImageSize : data.imageSize
        let evaluationTransform = ImageTransform(
            geometry: .resizeAndCenterCrop(ResizeAndCenterCrop(size: evaluationSize, cropFraction: data.cropPct,
                                                               interpolation: interpolation)))
        let policy: BadSamplePolicy = data.badSamples == .skip ? .skip(maximumConsecutive: data.badSamplesLimit) : .fail
        let log = SkippedSampleLog()
        skippedSamples = log
        let trainingMaker = ImageBatchMaker(
            index: training, transform: trainingTransform, statistics: statistics,
            mixing: try Self.mixing(recipe, batchSize: batchSize), seed: recipe.seed, badSamplePolicy: policy,
            skippedSamples: log)
        trainingLoader = ImageLoader(maker: trainingMaker, batchSize: batchSize,
                                     sampler: replica.sampler(Self.trainingOrder(data)), dropLast: true,
                                     workers: data.workers, sampleLimit: data.trainLimit)
        let evaluationMaker = ImageBatchMaker(
            index: evaluation, transform: evaluationTransform, statistics: statistics, mixing: nil, seed: recipe.seed,
            badSamplePolicy: .fail)
        evaluationLoader = ImageLoader(maker: evaluationMaker, batchSize: data.evalBatchSize,
                                       sampler: replica.evaluation, dropLast: false, workers: data.workers,
                                       sampleLimit: data.evalLimit)
    }

    /// The index of one split: a folder under `root` (image-folder) or a list file there (image-list).
    static func index(split: String, key: String, data: Recipe.Data, root: URL) throws -> SampleIndex {
        let location = root.appendingPathComponent(split)
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: location.path, isDirectory: &isFolder) else {
            let what = switch data.dataset {
            case .imageList: "a list file"
            case .webDataset: "a .tar shard or a folder of them"
            default: "a folder of class folders"
            }
            throw DataConfigurationError(key: key, message: "\(location.path) does not exist; expected \(what) there")
        }
        let classMap = try data.classMap.map { name in
            try ClassMap.read(contentsOf: name.hasPrefix("/") ? URL(fileURLWithPath: name) : root.appendingPathComponent(name))
        }
        switch data.dataset {
        case .imageList:
            return try ImageListFile.index(listFile: location, root: root, options: ImageListFile.Options(
                labeling: data.multiLabel ? .multiLabel : .singleLabel,
                classes: classMap.map { .named($0) } ?? .indexed(names: nil)))
        case .webDataset:
            let shards = isFolder.boolValue
                ? try FileManager.default.contentsOfDirectory(at: location, includingPropertiesForKeys: nil)
                    .filter { $0.pathExtension == "tar" }.sorted { $0.lastPathComponent < $1.lastPathComponent }
                : [location]
            guard !shards.isEmpty else {
                throw DataConfigurationError(key: key, message: "\(location.path) holds no .tar shards")
            }
            return try WebDataset.index(shards: shards, classNames: classMap?.classNames)
        default:
            return try ImageFolder.index(root: location, options: ImageFolder.Options(
                emptyClasses: data.allowEmptyClasses ? .allow : .reject, classMap: classMap))
        }
    }

    /// `limit` positions evenly spaced over `0..<count`; nil (all of them) when `limit` is 0 or not below `count`.
    static func evenlySpaced(_ limit: Int, of count: Int) -> [Int]? {
        guard limit > 0, limit < count else { return nil }
        return (0..<limit).map { $0 * count / limit }
    }

    /// The recipe's mean and std, when it gives them, checked against the image channels.
    static func statistics(_ data: Recipe.Data, channels: Int) throws -> ChannelStatistics? {
        guard !data.mean.isEmpty || !data.std.isEmpty else { return nil }
        func expand(_ values: [Double], key: String) throws -> [Float] {
            if values.count == channels { return values.map(Float.init) }
            if values.count == 1 { return Array(repeating: Float(values[0]), count: channels) }
            throw DataConfigurationError(key: key, message: "has \(values.count) values for \(channels)-channel images; "
                                             + "give 1 or \(channels)")
        }
        guard !data.mean.isEmpty && !data.std.isEmpty else {
            throw DataConfigurationError(key: data.mean.isEmpty ? "data.mean" : "data.std",
                                         message: "mean and std go together: give both or neither")
        }
        return ChannelStatistics(mean: try expand(data.mean, key: "data.mean"), deviation: try expand(data.std, key: "data.std"))
    }

    /// Mixup/CutMix as the recipe asks, with the loss's label smoothing folded into the soft targets.
    ///
    /// `batchSize` is the batch the pairs are drawn within: one rank's share of the global batch.
    static func mixing(_ recipe: Recipe, batchSize: Int) throws -> MixupCutMix? {
        let data = recipe.data
        guard data.mixup > 0 || data.cutmix > 0 else { return nil }
        guard batchSize % 2 == 0 else {
            let what = batchSize == data.batchSize ? "not \(batchSize)"
                : "not \(batchSize) per rank (\(data.batchSize) over \(data.batchSize / batchSize) ranks)"
            throw DataConfigurationError(key: "data.batch_size",
                                         message: "mixup and CutMix pair image i with image N − 1 − i: use an even batch size, "
                                             + what)
        }
        let mode: MixupCutMix.Mode = switch data.mixupMode {
        case .batch: .batch
        case .pair: .pair
        case .elem: .element
        }
        return MixupCutMix(mixupAlpha: data.mixup, cutMixAlpha: data.cutmix, probability: data.mixupProb,
                           switchProbability: data.mixupSwitchProb, mode: mode,
                           labelSmoothing: recipe.loss.labelSmoothing)
    }

    /// Shuffled, or timm's repeated augmentation when `repeated_augmentation` > 1.
    static func trainingOrder(_ data: Recipe.Data) -> Sampler.Order {
        guard data.repeatedAugmentation > 1 else { return .shuffled }
        return .repeatedAugmentation(repeats: data.repeatedAugmentation, selectedRound: 256)
    }

    static func interpolation(_ choice: Recipe.Data.Interpolation) -> Interpolation {
        switch choice {
        case .bilinear: .bilinear
        case .bicubic: .bicubic
        case .nearest: .nearest
        }
    }

    /// The recipe's crop, flip and random erasing as the in-memory loader's augmentation.
    static func trainingAugmentation(_ data: Recipe.Data) -> Augmentation {
        let fill: RandomErasing.Fill = switch data.randomErasingMode {
        case .const: .constant
        case .rand: .perChannel
        case .pixel: .perPixel
        }
        return Augmentation(
            randomCropPadding: data.randomCropPadding, horizontalFlip: data.horizontalFlip,
            randomErasing: data.randomErasing > 0
                ? RandomErasing(probability: data.randomErasing, fill: fill, maximumCount: data.randomErasingCount) : nil)
    }

    /// `limit` images of `set` evenly spaced over it (all of them when `limit` is 0 or larger than the set).
    ///
    /// Evenly spaced, not the first `limit`: an ImageFolder is sorted by class, so its
    /// first images are all of one class.
    static func evenlySpacedSubset(_ set: LabeledImageSet, limit: Int) -> LabeledImageSet {
        guard let chosen = evenlySpaced(limit, of: set.count) else { return set }
        return LabeledImageSet(height: set.height, width: set.width, channels: set.channels,
                               pixels: chosen.flatMap { set.image(at: $0) },
                               labels: chosen.map { set.labels[$0] }, classNames: set.classNames)
    }
}
