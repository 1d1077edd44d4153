/// A seeded, deterministic loader of image files (ImageFolder, list files, tar shards) into standardised batches on worker threads.
///
/// Shapes: each epoch yields `batchesPerEpoch` `FloatBatch`es of `batchSize`
/// images, `channels × transform.outputHeight × transform.outputWidth` floats each
/// (NCHW); without `dropLast` the last may be smaller. The epoch's order comes from
/// `sampler` (sequential for exact evaluation, shuffled, or repeated augmentation,
/// each for one replica of a data-parallel run), every image's draws from
/// (seed, epoch, sample index) and every batch's mixing from (seed, epoch, batch
/// number), so the batches are bit-identical for any number of workers and after a
/// resume at any batch. Workers are the loader's core budget: each decodes and
/// transforms whole batches, and at most `prefetchDepth` batches wait in memory.
public final class ImageLoader: Sendable {
    /// What each batch is made by.
    public let maker: ImageBatchMaker
    /// Images per batch.
    public let batchSize: Int
    /// Which samples each epoch visits, in what order.
    public let sampler: Sampler
    /// Whether to skip a last batch smaller than `batchSize`.
    public let dropLast: Bool
    /// Background threads preparing batches; 0 prepares them on the caller's thread.
    public let workers: Int
    /// How many batches may be prepared ahead of the consumer when `workers > 0`.
    public let prefetchDepth: Int
    /// Samples each epoch visits on this replica.
    public let samplesPerEpoch: Int
    /// The loader serves only this many samples, evenly spaced over the data set (quick trials); the whole set when 0.
    ///
    /// Evenly spaced rather than the first N, because an ImageFolder is sorted by
    /// class and its first N images would all be of one class.
    public let sampleLimit: Int
    let census = WorkerCensus()

    /// Configures a loader; no file is read until an epoch is iterated.
    ///
    /// - Precondition: `batchSize > 0`, `workers >= 0`; with mixing, `dropLast`
    ///   and an even `batchSize` (mixing pairs image i with image N − 1 − i).
    public init(maker: ImageBatchMaker, batchSize: Int, sampler: Sampler, dropLast: Bool, workers: Int,
                prefetchDepth: Int? = nil, sampleLimit: Int = 0) {
        precondition(batchSize > 0, "batch size must be positive, got \(batchSize)")
        precondition(workers >= 0, "worker count must not be negative, got \(workers)")
        precondition(maker.mixing == nil || (dropLast && batchSize % 2 == 0),
                     "mixup and CutMix need an even batch size and dropLast, got \(batchSize) and \(dropLast)")
        let depth = prefetchDepth ?? workers + 2
        precondition(depth > 0, "prefetch depth must be positive, got \(depth)")
        self.maker = maker
        self.batchSize = batchSize
        self.sampler = sampler
        self.dropLast = dropLast
        self.workers = workers
        self.prefetchDepth = depth
        self.sampleLimit = sampleLimit
        samplesPerEpoch = sampler.indices(sampleCount: Self.servedCount(of: maker, limit: sampleLimit),
                                          seed: maker.seed, epoch: 0).count
    }

    /// Samples the sampler draws from: the whole data set, or its first `sampleLimit`.
    var servedCount: Int { Self.servedCount(of: maker, limit: sampleLimit) }

    private static func servedCount(of maker: ImageBatchMaker, limit: Int) -> Int {
        limit > 0 ? min(limit, maker.index.count) : maker.index.count
    }

    /// Batches in one epoch: `samplesPerEpoch / batchSize`, rounded down with `dropLast`, up without.
    public var batchesPerEpoch: Int {
        dropLast ? samplesPerEpoch / batchSize : (samplesPerEpoch + batchSize - 1) / batchSize
    }

    /// The batches of `epoch` from batch number `batch` on, in order; a failing sample surfaces as `ImageLoadingError` at its batch.
    ///
    /// - Precondition: `epoch >= 0` and `0 <= batch <= batchesPerEpoch`.
    public func batches(epoch: Int, startingAt batch: Int = 0) -> BatchSequence<ImageBatchMaker> {
        precondition(epoch >= 0, "epoch must not be negative, got \(epoch)")
        precondition(batch >= 0 && batch <= batchesPerEpoch, "starting batch \(batch) is outside 0...\(batchesPerEpoch)")
        var order = sampler.indices(sampleCount: servedCount, seed: maker.seed, epoch: epoch)
        if servedCount < maker.index.count {
            order = order.map { $0 * maker.index.count / servedCount }
        }
        let plan = EpochPlan(maker: maker, epoch: epoch, order: order, batchSize: batchSize, batchCount: batchesPerEpoch)
        return BatchSequence(plan: plan, first: batch, workers: workers, prefetchDepth: prefetchDepth, census: census)
    }

    /// Worker threads currently running (for tests: none should outlive their iterator).
    var runningWorkers: Int { census.count }
}
