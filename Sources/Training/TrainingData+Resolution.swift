import DataPipeline
import Recipes

/// Loaders at other test resolutions than the recipe's, for resolution sweeps and batch-norm recalibration.
///
/// Only streamed image files can be served at another size: they are decoded and
/// resized per batch. In-memory sets (Fashion-MNIST, CIFAR binaries, `in_memory: true`)
/// were decoded once at a fixed size and are served as they are, so `Evaluator` refuses
/// a resolution for them with an error naming the key that made them in-memory
/// (`fixedSizeKey`); these loaders assume streamed data when given one. Resizing them
/// again would measure something else (upsampling 28-pixel images) than the
/// resolution effect of real photographs, so it is not offered.
extension TrainingData {
    /// The recipe's own evaluation resolution: `eval_image_size` (else `image_size`) and `crop_pct`.
    func recipeResolution() -> EvaluationResolution {
        let crop = evaluationCrop()
        return EvaluationResolution(size: crop.size, cropFraction: crop.cropFraction)
    }

    /// The evaluation loader with its centre crop at `resolution`; every other setting (order, limit, workers) as the recipe's.
    func evaluationLoader(at resolution: EvaluationResolution) -> any EpochBatchSource {
        let loader = streamedLoader(evaluationLoader)
        return ImageLoader(maker: Self.maker(loader.maker, at: resolution, base: evaluationCrop()),
                           batchSize: loader.batchSize, sampler: loader.sampler, dropLast: loader.dropLast,
                           workers: loader.workers, sampleLimit: loader.sampleLimit)
    }

    /// Training images with the evaluation transform, in a shuffled order, whole batches of the training batch size.
    ///
    /// What FixRes fine-tunes on (its training set takes the test transform at the test
    /// resolution), here at `resolution`, or as the in-memory set is when nil.
    func recalibrationLoader(at resolution: EvaluationResolution?) -> any EpochBatchSource {
        if let memory = trainingLoader as? BatchLoader {
            precondition(resolution == nil, "in-memory data has a fixed size; check TrainingData.fixedSizeKey first")
            return BatchLoader(set: memory.set, batchSize: memory.batchSize, shuffle: true, dropLast: true,
                               augmentation: .none, statistics: memory.statistics, seed: memory.seed,
                               workers: memory.workers, sampler: replica.shuffledTraining)
        }
        let training = streamedLoader(trainingLoader)
        let evaluation = streamedLoader(evaluationLoader)
        let crop = evaluationCrop()
        let target = resolution ?? EvaluationResolution(size: crop.size, cropFraction: crop.cropFraction)
        let transformed = Self.maker(evaluation.maker, at: target, base: crop)
        let maker = ImageBatchMaker(index: training.maker.index, transform: transformed.transform,
                                    statistics: transformed.statistics, mixing: nil, seed: training.maker.seed,
                                    badSamplePolicy: training.maker.badSamplePolicy,
                                    skippedSamples: training.maker.skippedSamples)
        return ImageLoader(maker: maker, batchSize: training.batchSize, sampler: replica.shuffledTraining,
                           dropLast: true, workers: training.workers, sampleLimit: training.sampleLimit)
    }

    /// The evaluation maker's centre crop (streamed data only).
    private func evaluationCrop() -> ResizeAndCenterCrop {
        guard case .resizeAndCenterCrop(let crop) = streamedLoader(evaluationLoader).maker.transform.geometry else {
            preconditionFailure("a streamed evaluation loader resizes and centre-crops")
        }
        return crop
    }

    /// `loader` as an image-file loader; callers check `fixedSizeKey` first, so anything else is a programmer error.
    private func streamedLoader(_ loader: any EpochBatchSource) -> ImageLoader {
        guard let streamed = loader as? ImageLoader else {
            preconditionFailure("in-memory data has a fixed size; check TrainingData.fixedSizeKey before asking for a resolution")
        }
        return streamed
    }

    /// The recipe key that makes `data` in-memory at one fixed size, or nil when its images stream from files.
    ///
    /// `data.dataset` for Fashion-MNIST and the CIFAR binaries, `data.in_memory` for
    /// image files decoded once into memory.
    static func fixedSizeKey(_ data: Recipe.Data) -> String? {
        switch data.dataset {
        case .fashionMNIST, .cifar10Binary, .cifar100Binary: "data.dataset"
        case .imageFolder, .imageList, .webDataset: data.inMemory ? "data.in_memory" : nil
        }
    }

    /// Why this data cannot be served at another resolution, naming `key` (see `fixedSizeKey`).
    func fixedSizeError(key: String) -> DataConfigurationError {
        let size = (evaluationLoader as? BatchLoader).map { "\($0.set.height)×\($0.set.width) " } ?? ""
        return DataConfigurationError(
            key: key,
            message: "in-memory images keep the \(size)size they were decoded at, so they cannot be evaluated at "
                + "other sizes or crop fractions; that needs streamed image files (image-folder, image-list or "
                + "webdataset with in_memory: false)")
    }

    /// `maker` with its centre crop moved to `resolution`, filter and everything else kept.
    private static func maker(_ maker: ImageBatchMaker, at resolution: EvaluationResolution,
                              base: ResizeAndCenterCrop) -> ImageBatchMaker {
        var transform = maker.transform
        transform.geometry = .resizeAndCenterCrop(ResizeAndCenterCrop(size: resolution.size,
                                                                      cropFraction: resolution.cropFraction,
                                                                      interpolation: base.interpolation))
        return ImageBatchMaker(index: maker.index, transform: transform, statistics: maker.statistics, mixing: nil,
                               seed: maker.seed, badSamplePolicy: maker.badSamplePolicy)
    }
}
