/// A seeded, deterministic loader that cuts a labelled image set into standardised, augmented batches, optionally on worker threads.
///
/// Shapes: each epoch yields `batchesPerEpoch` `FloatBatch`es of `batchSize`
/// images (`channels × height × width` floats each, NCHW); without `dropLast` the
/// last may be smaller. Why it is built the way it is: the epoch's order is a
/// Fisher–Yates shuffle driven by a generator keyed on (seed, epoch) only, and
/// every sample's crop and flip by one keyed on (seed, epoch, sample index) only,
/// so the batches are bit-identical for any number of workers, any prefetch depth,
/// and whether the epoch was resumed at batch `k` — which makes checkpoint resume
/// exact and a run reproducible from its seed.
///
/// Typical use: training with `shuffle: true, dropLast: true, augmentation: .cropAndFlip`;
/// evaluation with `shuffle: false, dropLast: false, augmentation: .none`, which
/// visits every sample exactly once in order.
public final class BatchLoader: Sendable {
    /// The images and labels being served.
    public let set: LabeledImageSet
    /// Images per batch.
    public let batchSize: Int
    /// Whether each epoch visits the samples in a fresh random order.
    public let shuffle: Bool
    /// Which samples each epoch visits and in what order: sequential or shuffled per `shuffle`, unless given.
    public let sampler: Sampler
    /// Mixup/CutMix on each whole batch, if any.
    public let mixing: MixupCutMix?
    /// Samples each epoch visits.
    public let samplesPerEpoch: Int
    /// Whether to skip a last batch smaller than `batchSize`.
    public let dropLast: Bool
    /// The random crop and flip applied to every image.
    public let augmentation: Augmentation
    /// The per-channel mean and deviation used to standardise pixels.
    public let statistics: ChannelStatistics
    /// The seed that fixes every order and every augmentation draw.
    public let seed: UInt64
    /// Background threads preparing batches; 0 prepares them on the caller's thread.
    public let workers: Int
    /// How many batches may be prepared ahead of the consumer when `workers > 0`.
    public let prefetchDepth: Int

    let assembler: BatchAssembler
    let census = WorkerCensus()

    /// Configures a loader; no work happens until an epoch is iterated.
    ///
    /// - Parameters:
    ///   - prefetchDepth: batches prepared ahead of the consumer when `workers > 0`;
    ///     by default `workers + 2`, which keeps every worker busy with a little slack.
    ///   - sampler: the epoch order (e.g. repeated augmentation, or one replica's share);
    ///     by default sequential or shuffled as `shuffle` says.
    ///   - mixing: mixup/CutMix for every batch; needs `dropLast` and an even batch size.
    /// - Precondition: `batchSize > 0`, `workers >= 0`, and `statistics` describes
    ///   the set's channels with positive deviations.
    public init(
        set: LabeledImageSet,
        batchSize: Int,
        shuffle: Bool,
        dropLast: Bool,
        augmentation: Augmentation,
        statistics: ChannelStatistics,
        seed: UInt64,
        workers: Int,
        prefetchDepth: Int? = nil,
        sampler: Sampler? = nil,
        mixing: MixupCutMix? = nil
    ) {
        precondition(mixing == nil || (dropLast && batchSize % 2 == 0),
                     "mixup and CutMix need an even batch size and dropLast, got \(batchSize) and \(dropLast)")
        precondition(batchSize > 0, "batch size must be positive, got \(batchSize)")
        precondition(workers >= 0, "worker count must not be negative, got \(workers)")
        let depth = prefetchDepth ?? workers + 2
        precondition(depth > 0, "prefetch depth must be positive, got \(depth)")
        self.set = set
        self.batchSize = batchSize
        self.shuffle = shuffle
        self.dropLast = dropLast
        self.augmentation = augmentation
        self.statistics = statistics
        self.seed = seed
        self.workers = workers
        self.prefetchDepth = depth
        let sampler = sampler ?? Sampler(order: shuffle ? .shuffled : .sequential)
        self.sampler = sampler
        self.mixing = mixing
        samplesPerEpoch = sampler.indices(sampleCount: set.count, seed: seed, epoch: 0).count
        assembler = BatchAssembler(set: set, statistics: statistics, augmentation: augmentation, seed: seed,
                                   mixing: mixing)
    }

    /// Batches in one epoch: `samplesPerEpoch / batchSize`, rounded down with `dropLast`, up without.
    public var batchesPerEpoch: Int {
        dropLast ? samplesPerEpoch / batchSize : (samplesPerEpoch + batchSize - 1) / batchSize
    }

    /// The order in which `epoch` visits the samples, as the sampler gives it.
    public func sampleOrder(epoch: Int) -> [Int] {
        sampler.indices(sampleCount: set.count, seed: seed, epoch: epoch)
    }

    /// The batches of `epoch` from batch number `batch` on, in order.
    ///
    /// Resuming at `batch = k` yields exactly batches `k, k + 1, …` of an
    /// uninterrupted epoch. Worker threads, if any, start when iteration starts
    /// and stop when the iterator is released, finished or not.
    ///
    /// - Precondition: `epoch >= 0` and `0 <= batch <= batchesPerEpoch`.
    public func batches(epoch: Int, startingAt batch: Int = 0) -> BatchSequence<BatchAssembler> {
        precondition(epoch >= 0, "epoch must not be negative, got \(epoch)")
        precondition(
            batch >= 0 && batch <= batchesPerEpoch,
            "starting batch \(batch) is outside 0...\(batchesPerEpoch)"
        )
        let plan = EpochPlan(
            maker: assembler, epoch: epoch, order: sampleOrder(epoch: epoch),
            batchSize: batchSize, batchCount: batchesPerEpoch
        )
        return BatchSequence(plan: plan, first: batch, workers: workers, prefetchDepth: prefetchDepth, census: census)
    }

    /// Worker threads of this loader still running; 0 once every iterator has been released or finished.
    var runningWorkers: Int { census.count }
}
