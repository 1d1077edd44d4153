import Distributed
import Testing

struct GradientBucketsTests {
    /// Bytes (4 per element): 8, 12 | 40, 40, 20 | 120 | 4 with a 20-byte first bucket and 100-byte buckets after.
    @Test func aBucketClosesBeforeTheGradientThatWouldOverflowIt() {
        let buckets = GradientBuckets(elementCounts: [2, 3, 10, 10, 5, 30, 1], capacity: 100, firstCapacity: 20)
        #expect(buckets.ranges == [0..<2, 2..<5, 5..<6, 6..<7])
        #expect(buckets.elementCount(ofBucket: 1) == 25)
        #expect(buckets.elementCount(ofBucket: 2) == 30, "a gradient larger than the capacity gets a bucket of its own")
    }

    /// 30 gradients of 1 MiB: PyTorch DDP's 1 MiB first bucket holds one, each 25 MiB bucket after holds 25.
    @Test func defaultsArePyTorchDDPs() {
        let buckets = GradientBuckets(elementCounts: [Int](repeating: 262_144, count: 30))
        #expect(GradientBuckets.defaultFirstCapacity == 1 << 20 && GradientBuckets.defaultCapacity == 25 << 20)
        #expect(buckets.ranges == [0..<1, 1..<26, 26..<30])
    }

    @Test func float64GradientsFillBucketsTwiceAsFast() {
        let buckets = GradientBuckets(elementCounts: [5, 5, 5, 5], bytesPerElement: 8, capacity: 80, firstCapacity: 40)
        #expect(buckets.ranges == [0..<1, 1..<3, 3..<4])
    }

    @Test func bucketsAreConsecutiveAndCoverEveryGradient() {
        let counts = (0..<200).map { ($0 * 7919) % 5000 }
        let buckets = GradientBuckets(elementCounts: counts, capacity: 20_000, firstCapacity: 4_000)
        #expect(buckets.ranges.first?.lowerBound == 0)
        #expect(buckets.ranges.last?.upperBound == counts.count)
        #expect(buckets.ranges.allSatisfy { !$0.isEmpty })
        #expect(zip(buckets.ranges, buckets.ranges.dropFirst()).allSatisfy { $0.upperBound == $1.lowerBound })
        for (bucket, range) in buckets.ranges.enumerated() {
            let bytes = buckets.elementCount(ofBucket: bucket) * 4
            #expect(bytes <= (bucket == 0 ? 4_000 : 20_000) || range.count == 1, "bucket \(bucket) overflows")
            for index in range { #expect(buckets.bucket(containing: index) == bucket) }
        }
    }

    @Test func emptyGradientsJoinTheirNeighboursAndNoGradientsMakeNoBuckets() {
        #expect(GradientBuckets(elementCounts: []).ranges.isEmpty)
        #expect(GradientBuckets(elementCounts: [0, 4, 0, 0], capacity: 16, firstCapacity: 16).ranges == [0..<4])
    }
}
