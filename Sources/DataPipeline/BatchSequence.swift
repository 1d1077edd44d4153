/// The batches of one epoch from a starting batch on, in order, as a `Sequence`.
///
/// Shapes: yields `plan.batchCount − first` `FloatBatch`es. Each call to
/// `makeIterator()` starts afresh (and, with workers, starts its own threads), so
/// the sequence can be iterated more than once with identical results. Worker
/// threads belong to the iterator: releasing it mid-epoch stops them.
public struct BatchSequence: Sequence, Sendable {
    let plan: EpochPlan
    let first: Int
    let workers: Int
    let prefetchDepth: Int
    let census: WorkerCensus

    /// How many batches the sequence yields.
    public var underestimatedCount: Int { plan.batchCount - first }

    public func makeIterator() -> Iterator {
        Iterator(sequence: self)
    }

    /// Yields batches on the caller's thread (no workers) or from a prefetch pipeline.
    public struct Iterator: IteratorProtocol {
        private let plan: EpochPlan
        private var nextBatch: Int
        private let pipeline: PrefetchPipeline?

        init(sequence: BatchSequence) {
            plan = sequence.plan
            nextBatch = sequence.first
            if sequence.workers > 0 && sequence.first < sequence.plan.batchCount {
                pipeline = PrefetchPipeline(
                    plan: sequence.plan, first: sequence.first, workers: sequence.workers,
                    depth: sequence.prefetchDepth, census: sequence.census
                )
            } else {
                pipeline = nil
            }
        }

        public mutating func next() -> FloatBatch? {
            guard nextBatch < plan.batchCount else { return nil }
            defer { nextBatch += 1 }
            if let pipeline {
                return pipeline.next()
            }
            return plan.batch(nextBatch)
        }
    }
}
