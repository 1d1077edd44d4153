import Foundation

/// Worker threads that prepare an epoch's batches ahead of the consumer and hand them over strictly in order.
///
/// Shapes: batches `first..<plan.batchCount`; at most `depth` batches are claimed
/// and not yet delivered at any time, so memory stays bounded however slow the
/// consumer is. Workers claim batch numbers in increasing order and may finish out
/// of order; `next()` waits for the lowest undelivered number. Releasing the
/// pipeline cancels the workers and waits for them to exit, so an iterator dropped
/// mid-epoch leaves no thread running and none blocked forever. A batch that
/// fails is delivered as its failure, in its turn, like any other batch.
final class PrefetchPipeline<Maker: BatchMaking> {
    private let state: PrefetchState<Maker>

    /// Starts `workers` threads preparing batches from `first` on.
    init(plan: EpochPlan<Maker>, first: Int, workers: Int, depth: Int, census: WorkerCensus) {
        precondition(workers > 0 && depth > 0, "a pipeline needs at least one worker and a depth of one")
        state = PrefetchState(first: first, end: plan.batchCount, depth: depth, workers: workers)
        for _ in 0..<workers {
            census.workerStarted()
            let state = state
            let thread = Thread {
                state.work(plan: plan)
                census.workerFinished()
                state.workerExited()
            }
            thread.name = "hone.batch-loader"
            thread.start()
        }
    }

    deinit {
        state.cancelAndWait()
    }

    /// The next batch in order, waiting for a worker if it is not ready; nil after the last.
    func next() throws(Maker.Failure) -> FloatBatch? {
        try state.deliver()?.get()
    }
}

/// The state the consumer and the workers of a `PrefetchPipeline` share, guarded by one condition.
///
/// Held by the worker threads, never by the consumer's iterator directly, so the
/// pipeline object can be released (and cancel the workers) while they still run.
final class PrefetchState<Maker: BatchMaking>: @unchecked Sendable {
    private let condition = NSCondition()
    private let end: Int
    private let depth: Int
    private var nextToClaim: Int
    private var nextToDeliver: Int
    private var ready: [Int: Result<FloatBatch, Maker.Failure>] = [:]
    private var cancelled = false
    private var runningWorkers: Int

    init(first: Int, end: Int, depth: Int, workers: Int) {
        self.end = end
        self.depth = depth
        nextToClaim = first
        nextToDeliver = first
        runningWorkers = workers
    }

    /// A worker's loop: claim the next batch number, prepare it unlocked, publish it; stop when done or cancelled.
    func work(plan: EpochPlan<Maker>) {
        while let number = claim() {
            let batch = Result { () throws(Maker.Failure) -> FloatBatch in try plan.batch(number) }
            condition.lock()
            ready[number] = batch
            condition.broadcast()
            condition.unlock()
        }
    }

    private func claim() -> Int? {
        condition.lock()
        defer { condition.unlock() }
        while !cancelled && nextToClaim < end && nextToClaim >= nextToDeliver + depth {
            condition.wait()
        }
        guard !cancelled && nextToClaim < end else { return nil }
        let number = nextToClaim
        nextToClaim += 1
        return number
    }

    /// Marks one worker as gone, waking a pipeline waiting to be released.
    func workerExited() {
        condition.lock()
        runningWorkers -= 1
        condition.broadcast()
        condition.unlock()
    }

    func deliver() -> Result<FloatBatch, Maker.Failure>? {
        condition.lock()
        defer { condition.unlock() }
        guard nextToDeliver < end else { return nil }
        while ready[nextToDeliver] == nil {
            condition.wait()
        }
        let batch = ready.removeValue(forKey: nextToDeliver)
        nextToDeliver += 1
        condition.broadcast()
        return batch
    }

    /// Stops the workers after the batch each is preparing, and waits until all have exited.
    func cancelAndWait() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        while runningWorkers > 0 {
            condition.wait()
        }
        ready.removeAll()
        condition.unlock()
    }
}
