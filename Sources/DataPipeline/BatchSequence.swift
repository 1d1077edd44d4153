/// The batches of one epoch from a starting batch on, in order.
///
/// Shapes: yields `plan.batchCount − first` `FloatBatch`es. Each call to
/// `makeIterator()` starts afresh (and, with workers, starts its own threads), so
/// the sequence can be iterated more than once with identical results. Worker
/// threads belong to the iterator: releasing it mid-epoch stops them. When the
/// batch maker cannot fail (in-memory sets) this is a plain `Sequence`; otherwise
/// `Iterator.nextBatch()` throws the maker's error for the batch that failed.
public struct BatchSequence<Maker: BatchMaking>: Sendable {
    let plan: EpochPlan<Maker>
    let first: Int
    let workers: Int
    let prefetchDepth: Int
    let census: WorkerCensus

    /// How many batches the sequence yields.
    public var underestimatedCount: Int { plan.batchCount - first }

    /// A fresh pass over the batches.
    public func makeIterator() -> Iterator {
        Iterator(sequence: self)
    }

    /// Yields batches on the caller's thread (no workers) or from a prefetch pipeline.
    public struct Iterator {
        private let plan: EpochPlan<Maker>
        private var nextBatchNumber: Int
        private let pipeline: PrefetchPipeline<Maker>?

        init(sequence: BatchSequence) {
            plan = sequence.plan
            nextBatchNumber = sequence.first
            if sequence.workers > 0 && sequence.first < sequence.plan.batchCount {
                pipeline = PrefetchPipeline(
                    plan: sequence.plan, first: sequence.first, workers: sequence.workers,
                    depth: sequence.prefetchDepth, census: sequence.census
                )
            } else {
                pipeline = nil
            }
        }

        /// The next batch, or nil after the last; throws the maker's error for a batch that failed.
        public mutating func nextBatch() throws(Maker.Failure) -> FloatBatch? {
            guard nextBatchNumber < plan.batchCount else { return nil }
            defer { nextBatchNumber += 1 }
            if let pipeline {
                return try pipeline.next()
            }
            return try plan.batch(nextBatchNumber)
        }
    }
}

extension BatchSequence: Sequence where Maker.Failure == Never {}

extension BatchSequence.Iterator: IteratorProtocol where Maker.Failure == Never {
    public mutating func next() -> FloatBatch? {
        nextBatch()
    }
}
