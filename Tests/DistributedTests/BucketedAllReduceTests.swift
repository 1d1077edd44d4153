import Distributed
import Testing

struct BucketedAllReduceTests {
    /// Gradients of 2, 3, 10, 10, 5 floats: buckets [0, 1] (20-byte first bucket), [2, 3, 4] (100 bytes after).
    let lengths = [2, 3, 10, 10, 5]

    func withGradients(_ body: ([UnsafeMutableBufferPointer<Float>]) throws -> Void) rethrows {
        let gradients = lengths.enumerated().map { g, length in
            let buffer = UnsafeMutableBufferPointer<Float>.allocate(capacity: length)
            for j in 0..<length { buffer[j] = Float(10 * g + j) }
            return buffer
        }
        defer { gradients.forEach { $0.deallocate() } }
        try body(gradients)
    }

    @Test func aBucketStartsAsSoonAsItsLastGradientIsReady() throws {
        try withGradients { gradients in
            let fake = FakeCommunicator(worldSize: 4)
            let reduction = BucketedAllReduce(elementCounts: lengths, communicator: fake, capacity: 100, firstCapacity: 20)
            #expect(reduction.buckets.ranges == [0..<2, 2..<5])
            try reduction.markReady(2, gradient: gradients[2])
            try reduction.markReady(0, gradient: gradients[0])
            #expect(fake.startedLengths.isEmpty, "no bucket is complete yet")
            try reduction.markReady(1, gradient: gradients[1])
            #expect(fake.startedLengths == [5], "the first bucket (gradients 0 and 1) starts with its last gradient")
            try reduction.markReady(4, gradient: gradients[4])
            try reduction.markReady(3, gradient: gradients[3])
            #expect(fake.startedLengths == [5, 25])
            try reduction.finish()
        }
    }

    /// Every other rank holds v + 1, so the average over 4 ranks is v + 0.75.
    @Test func finishWritesTheAverageOverTheRanksIntoEveryGradient() throws {
        try withGradients { gradients in
            let reduction = BucketedAllReduce(elementCounts: lengths, communicator: FakeCommunicator(worldSize: 4),
                                              capacity: 100, firstCapacity: 20)
            for step in 0..<2 {
                for index in [4, 3, 2, 1, 0] { try reduction.markReady(index, gradient: gradients[index]) }
                try reduction.finish()
                for (g, gradient) in gradients.enumerated() {
                    #expect(Array(gradient) == (0..<lengths[g]).map { Float(10 * g + $0) + 0.75 * Float(step + 1) },
                            "gradient \(g) after step \(step)")
                }
            }
        }
    }

    @Test func finishNamesTheGradientsNeverMarkedReady() throws {
        try withGradients { gradients in
            let reduction = BucketedAllReduce(elementCounts: lengths, communicator: FakeCommunicator(worldSize: 2),
                                              capacity: 100, firstCapacity: 20)
            try reduction.markReady(0, gradient: gradients[0])
            try reduction.markReady(3, gradient: gradients[3])
            #expect(throws: BucketedAllReduceError.notReady(gradients: [1, 2, 4])) { try reduction.finish() }
        }
    }

    @Test func aGradientMarkedReadyTwiceInOneStepIsAnError() throws {
        try withGradients { gradients in
            let reduction = BucketedAllReduce(elementCounts: lengths, communicator: FakeCommunicator(worldSize: 2))
            try reduction.markReady(3, gradient: gradients[3])
            #expect(throws: BucketedAllReduceError.markedTwice(gradient: 3)) { try reduction.markReady(3, gradient: gradients[3]) }
        }
    }

    @Test func oneRankLeavesTheGradientsAsTheyAre() throws {
        try withGradients { gradients in
            let before = gradients.map(Array.init)
            let reduction = BucketedAllReduce(elementCounts: lengths, communicator: SingleProcessCommunicator(),
                                              capacity: 100, firstCapacity: 20)
            for index in gradients.indices { try reduction.markReady(index, gradient: gradients[index]) }
            try reduction.finish()
            #expect(gradients.map(Array.init) == before)
        }
    }
}
