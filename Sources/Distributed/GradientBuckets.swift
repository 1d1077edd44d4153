/// Gradients grouped into all-reduce buckets: consecutive runs of the gradients in the order backward finishes them.
///
/// Shapes: `elementCounts[i]` is gradient i's length, i in backward order (the
/// reverse of the forward order: the classifier's gradients come first); `ranges` are
/// consecutive, non-empty, and cover 0..<elementCounts.count.
///
/// Why buckets: one all-reduce per gradient pays MPI's latency hundreds of times;
/// one for all of them waits for the end of backward. Buckets of a few MiB start
/// while backward is still computing the earlier layers. The first bucket is small
/// (PyTorch DDP: 1 MiB, then 25 MiB) so that communication starts early. A bucket
/// closes when the next gradient would take it past its capacity; a gradient larger
/// than the capacity gets a bucket of its own.
public struct GradientBuckets: Equatable, Sendable {
    /// PyTorch DDP's bucket capacity, 25 MiB.
    public static let defaultCapacity = 25 << 20
    /// PyTorch DDP's first-bucket capacity, 1 MiB.
    public static let defaultFirstCapacity = 1 << 20

    /// Each gradient's element count, in backward order.
    public let elementCounts: [Int]
    /// Each bucket's gradients, as indices into `elementCounts`.
    public let ranges: [Range<Int>]

    /// Groups gradients of `elementCounts` elements of `bytesPerElement` bytes into buckets of at most `capacity` bytes
    /// (`firstCapacity` for the first).
    public init(elementCounts: [Int], bytesPerElement: Int = MemoryLayout<Float>.size,
                capacity: Int = GradientBuckets.defaultCapacity, firstCapacity: Int = GradientBuckets.defaultFirstCapacity) {
        precondition(bytesPerElement > 0 && capacity > 0 && firstCapacity > 0,
                     "bucket capacities and element size must be positive, got \(firstCapacity), \(capacity), \(bytesPerElement)")
        precondition(elementCounts.allSatisfy { $0 >= 0 }, "gradient lengths must not be negative: \(elementCounts)")
        self.elementCounts = elementCounts
        var ranges: [Range<Int>] = []
        var start = 0
        var bytes = 0
        for (index, count) in elementCounts.enumerated() {
            let limit = ranges.isEmpty ? firstCapacity : capacity
            let gradientBytes = count * bytesPerElement
            if index > start && bytes + gradientBytes > limit {
                ranges.append(start..<index)
                (start, bytes) = (index, 0)
            }
            bytes += gradientBytes
        }
        if start < elementCounts.count { ranges.append(start..<elementCounts.count) }
        self.ranges = ranges
    }

    /// How many buckets there are.
    public var count: Int { ranges.count }

    /// The bucket that holds gradient `index`.
    public func bucket(containing index: Int) -> Int {
        precondition(elementCounts.indices.contains(index), "gradient \(index) is not one of 0..<\(elementCounts.count)")
        var low = 0
        var high = ranges.count - 1
        while low < high {
            let middle = (low + high) / 2
            if ranges[middle].upperBound <= index { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// The total element count of bucket `bucket`.
    public func elementCount(ofBucket bucket: Int) -> Int {
        ranges[bucket].reduce(0) { $0 + elementCounts[$1] }
    }
}
