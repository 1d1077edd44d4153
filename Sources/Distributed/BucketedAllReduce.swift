import Foundation

/// Averages gradients across ranks in buckets, each bucket's all-reduce started as soon as its last gradient is ready.
///
/// Shapes: gradient i (in backward order, as in `GradientBuckets`) has
/// `elementCounts[i]` floats; each bucket owns one flat Float buffer of its
/// gradients' total length, allocated once and reused every step.
///
/// A step: `markReady(i, gradient:)` for each gradient as backward produces it (any
/// order; backward order overlaps best), then `finish()`, which waits for every
/// bucket and writes sum / worldSize back into each gradient buffer. `markReady`
/// copies the gradient into its bucket, starts the bucket's non-blocking all-reduce
/// when it was the bucket's last, and tests the buckets in flight so that MPI keeps
/// moving their bytes while backward computes.
///
/// Why copies: a bucket's gradients live in separate tensors (new ones every step),
/// and one all-reduce per bucket needs them contiguous. The copy is a memory pass;
/// the all-reduce is many.
///
/// A gradient buffer must stay allocated and unchanged from its `markReady` until
/// `finish()` returns. One thread at a time (the training loop's).
public final class BucketedAllReduce {
    public let buckets: GradientBuckets
    private let communicator: any Communicator
    private let flat: [UnsafeMutableBufferPointer<Float>]
    /// Where gradient i starts in its bucket's flat buffer.
    private let offsets: [Int]
    /// This step's gradient buffers, as marked ready.
    private var gradients: [UnsafeMutableBufferPointer<Float>?]
    private var waitingIn: [Int]
    private var inFlight: [(bucket: Int, pending: any PendingCollective)] = []
    /// Seconds `finish()` has spent waiting for all-reduces over every step so far: the communication backward did not hide.
    public private(set) var exposedSeconds = 0.0

    /// Buckets gradients of `elementCounts` floats (in backward order) by `capacity` and `firstCapacity` bytes,
    /// averaging over `communicator`.
    public init(elementCounts: [Int], communicator: any Communicator,
                capacity: Int = GradientBuckets.defaultCapacity, firstCapacity: Int = GradientBuckets.defaultFirstCapacity) {
        self.communicator = communicator
        let buckets = GradientBuckets(elementCounts: elementCounts, capacity: capacity, firstCapacity: firstCapacity)
        self.buckets = buckets
        var offsets = [Int](repeating: 0, count: elementCounts.count)
        for range in buckets.ranges {
            var offset = 0
            for index in range {
                offsets[index] = offset
                offset += elementCounts[index]
            }
        }
        self.offsets = offsets
        flat = (0..<buckets.count).map { bucket in
            let buffer = UnsafeMutableBufferPointer<Float>.allocate(capacity: buckets.elementCount(ofBucket: bucket))
            buffer.initialize(repeating: 0)
            return buffer
        }
        gradients = [UnsafeMutableBufferPointer<Float>?](repeating: nil, count: elementCounts.count)
        waitingIn = buckets.ranges.map(\.count)
    }

    deinit {
        for pending in inFlight { try? pending.pending.wait() }
        for buffer in flat { buffer.deallocate() }
    }

    /// Records that backward has finished gradient `index`, held in `gradient`: copies it into its bucket and starts
    /// the bucket when full. `finish()` writes the average back into `gradient`.
    public func markReady(_ index: Int, gradient source: UnsafeMutableBufferPointer<Float>) throws {
        precondition(gradients.indices.contains(index), "gradient \(index) is not one of 0..<\(gradients.count)")
        precondition(source.count == buckets.elementCounts[index],
                     "gradient \(index) has \(source.count) floats, expected \(buckets.elementCounts[index])")
        guard gradients[index] == nil else { throw BucketedAllReduceError.markedTwice(gradient: index) }
        gradients[index] = source
        let bucket = buckets.bucket(containing: index)
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
        let missing = gradients.indices.filter { gradients[$0] == nil }
        guard missing.isEmpty else { throw BucketedAllReduceError.notReady(gradients: missing) }
        let scale = Float(communicator.worldSize)
        for (bucket, pending) in inFlight {
            let start = DispatchTime.now().uptimeNanoseconds
            try pending.wait()
            exposedSeconds += Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            for index in buckets.ranges[bucket] {
                let source = flat[bucket].baseAddress! + offsets[index]
                let gradient = gradients[index]!
                for element in gradient.indices { gradient[element] = source[element] / scale }
            }
        }
        inFlight.removeAll(keepingCapacity: true)
        gradients = [UnsafeMutableBufferPointer<Float>?](repeating: nil, count: gradients.count)
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
