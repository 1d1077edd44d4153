/// Averages gradients across ranks in buckets, each bucket's all-reduce started as soon as its last gradient is ready.
///
/// Shapes: `gradients[i]` is gradient i in backward order, as in `GradientBuckets`;
/// each bucket owns one flat Float buffer of its gradients' total length, allocated
/// once and reused every step.
///
/// A step: `markReady(i)` for each gradient as backward produces it (any order;
/// backward order overlaps best), then `finish()`, which waits for every bucket and
/// writes sum / worldSize back into each gradient. `markReady` copies the gradient
/// into its bucket, starts the bucket's non-blocking all-reduce when it was the
/// bucket's last, and tests the buckets in flight so that MPI keeps moving their
/// bytes while backward computes.
///
/// Why copies: a bucket's gradients live in separate tensors, and one all-reduce per
/// bucket needs them contiguous. The copy is a memory pass; the all-reduce is many.
///
/// The gradient buffers must stay allocated, and a gradient unchanged from its
/// `markReady` until `finish()` returns. One thread at a time (the training loop's).
public final class BucketedAllReduce {
    public let buckets: GradientBuckets
    private let communicator: any Communicator
    private let gradients: [UnsafeMutableBufferPointer<Float>]
    private let flat: [UnsafeMutableBufferPointer<Float>]
    /// Where gradient i starts in its bucket's flat buffer.
    private let offsets: [Int]
    private var ready: [Bool]
    private var waitingIn: [Int]
    private var inFlight: [(bucket: Int, pending: any PendingCollective)] = []

    /// Buckets `gradients` (in backward order) by `capacity` and `firstCapacity` bytes, averaging over `communicator`.
    public init(gradients: [UnsafeMutableBufferPointer<Float>], communicator: any Communicator,
                capacity: Int = GradientBuckets.defaultCapacity, firstCapacity: Int = GradientBuckets.defaultFirstCapacity) {
        self.gradients = gradients
        self.communicator = communicator
        let buckets = GradientBuckets(elementCounts: gradients.map(\.count), capacity: capacity, firstCapacity: firstCapacity)
        self.buckets = buckets
        var offsets = [Int](repeating: 0, count: gradients.count)
        for range in buckets.ranges {
            var offset = 0
            for index in range {
                offsets[index] = offset
                offset += gradients[index].count
            }
        }
        self.offsets = offsets
        flat = (0..<buckets.count).map { bucket in
            let buffer = UnsafeMutableBufferPointer<Float>.allocate(capacity: buckets.elementCount(ofBucket: bucket))
            buffer.initialize(repeating: 0)
            return buffer
        }
        ready = [Bool](repeating: false, count: gradients.count)
        waitingIn = buckets.ranges.map(\.count)
    }

    deinit {
        for pending in inFlight { try? pending.pending.wait() }
        for buffer in flat { buffer.deallocate() }
    }

    /// Records that backward has finished gradient `index`: copies it into its bucket and starts the bucket when full.
    public func markReady(_ index: Int) throws {
        precondition(gradients.indices.contains(index), "gradient \(index) is not one of 0..<\(gradients.count)")
        guard !ready[index] else { throw BucketedAllReduceError.markedTwice(gradient: index) }
        ready[index] = true
        let bucket = buckets.bucket(containing: index)
        let source = gradients[index]
        if let base = source.baseAddress, !source.isEmpty {
            (flat[bucket].baseAddress! + offsets[index]).update(from: base, count: source.count)
        }
        waitingIn[bucket] -= 1
        try progress()
        if waitingIn[bucket] == 0 {
            inFlight.append((bucket, try communicator.startAllReduce(flat[bucket], .sum)))
        }
    }

    /// Lets the all-reduces in flight advance (MPI moves their bytes only inside its calls); cheap to call between layers.
    public func progress() throws {
        for started in inFlight { _ = try started.pending.test() }
    }

    /// Waits for every bucket, writes each gradient's average over the ranks back into it, and readies the next step.
    ///
    /// Throws `BucketedAllReduceError.notReady` naming the gradients never marked ready
    /// (a parameter that took no part in the loss), before waiting on anything.
    public func finish() throws {
        let missing = ready.indices.filter { !ready[$0] }
        guard missing.isEmpty else { throw BucketedAllReduceError.notReady(gradients: missing) }
        let scale = Float(communicator.worldSize)
        for (bucket, pending) in inFlight {
            try pending.wait()
            for index in buckets.ranges[bucket] {
                let source = flat[bucket].baseAddress! + offsets[index]
                let gradient = gradients[index]
                for element in gradient.indices { gradient[element] = source[element] / scale }
            }
        }
        inFlight.removeAll(keepingCapacity: true)
        ready = [Bool](repeating: false, count: gradients.count)
        waitingIn = buckets.ranges.map(\.count)
    }
}

/// A training step that used `BucketedAllReduce` out of order.
public enum BucketedAllReduceError: Error, Equatable, CustomStringConvertible {
    /// `finish()` came before these gradients (indices in backward order) were marked ready.
    case notReady(gradients: [Int])
    /// A gradient was marked ready twice in one step.
    case markedTwice(gradient: Int)

    public var description: String {
        switch self {
        case .notReady(let gradients):
            "the all-reduce finished before gradients \(gradients) (in backward order) were ready: every parameter must "
                + "take part in the loss of every step"
        case .markedTwice(let gradient):
            "gradient \(gradient) (in backward order) was marked ready twice in one step"
        }
    }
}
