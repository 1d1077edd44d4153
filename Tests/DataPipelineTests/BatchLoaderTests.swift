@testable import DataPipeline
import Foundation
import Testing

/// The loader's determinism, its coverage of the set, and its worker threads' lifecycle.
struct BatchLoaderTests {
    let set = SyntheticImageSet.make(count: 103, height: 6, width: 5, channels: 2)
    let statistics = ChannelStatistics(mean: [0.4, 0.6], deviation: [0.3, 0.2])

    func trainingLoader(seed: UInt64 = 42, workers: Int = 0, prefetchDepth: Int? = nil) -> BatchLoader {
        BatchLoader(
            set: set, batchSize: 8, shuffle: true, dropLast: true, augmentation: .cropAndFlip,
            statistics: statistics, seed: seed, workers: workers, prefetchDepth: prefetchDepth
        )
    }

    @Test func sameSeedGivesIdenticalBatches() {
        let first = Array(trainingLoader().batches(epoch: 2))
        let second = Array(trainingLoader().batches(epoch: 2))

        #expect(first.count == 12)
        #expect(first == second)
    }

    @Test func differentSeedOrEpochGivesADifferentOrder() {
        let loader = trainingLoader()
        let order = loader.sampleOrder(epoch: 0)

        #expect(order.sorted() == Array(0..<set.count))
        #expect(order != Array(0..<set.count))
        #expect(order != trainingLoader(seed: 43).sampleOrder(epoch: 0))
        #expect(order != loader.sampleOrder(epoch: 1))
        let firstIndices = loader.batches(epoch: 0).flatMap(\.indices)
        let otherSeedIndices = trainingLoader(seed: 43).batches(epoch: 0).flatMap(\.indices)
        #expect(firstIndices != otherSeedIndices)
    }

    @Test func workersAndPrefetchDepthDoNotChangeTheOutput() {
        let inline = Array(trainingLoader(workers: 0).batches(epoch: 1))
        let two = Array(trainingLoader(workers: 2).batches(epoch: 1))
        let threeShallow = Array(trainingLoader(workers: 3, prefetchDepth: 1).batches(epoch: 1))

        #expect(inline.count == 12)
        #expect(two == inline)
        #expect(threeShallow == inline)
    }

    @Test(arguments: [0, 2])
    func resumingAtBatchKGivesTheTailOfTheFullEpoch(workers: Int) {
        let loader = trainingLoader(workers: workers)
        let full = Array(loader.batches(epoch: 4))

        for start in [0, 1, 5, 11, 12] {
            let resumed = Array(loader.batches(epoch: 4, startingAt: start))
            #expect(resumed == Array(full[start...]))
        }
    }

    @Test func dropLastKeepsEveryBatchFull() {
        let loader = trainingLoader()

        #expect(loader.batchesPerEpoch == 12)
        for batch in loader.batches(epoch: 0) {
            #expect(batch.count == 8)
            #expect(batch.pixels.count == 8 * 2 * 6 * 5)
            #expect(Set(batch.indices).count == 8)
        }
    }

    @Test(arguments: [0, 2])
    func evaluationVisitsEverySampleOnceInOrder(workers: Int) {
        let loader = BatchLoader(
            set: set, batchSize: 10, shuffle: false, dropLast: false, augmentation: .none,
            statistics: statistics, seed: 1, workers: workers
        )

        let batches = Array(loader.batches(epoch: 0))

        #expect(loader.batchesPerEpoch == 11)
        #expect(batches.count == 11)
        #expect(batches.map(\.count) == Array(repeating: 10, count: 10) + [3])
        #expect(batches.flatMap(\.indices) == Array(0..<set.count))
        #expect(batches.flatMap(\.labels) == set.labels)
    }

    @Test func sequenceCanBeIteratedTwice() {
        let sequence = trainingLoader(workers: 2).batches(epoch: 0, startingAt: 3)

        #expect(sequence.underestimatedCount == 9)
        #expect(Array(sequence) == Array(sequence))
    }

    @Test func droppingTheIteratorMidEpochStopsTheWorkers() {
        let large = SyntheticImageSet.make(count: 2000, height: 8, width: 8)
        let loader = BatchLoader(
            set: large, batchSize: 4, shuffle: true, dropLast: true, augmentation: .cropAndFlip,
            statistics: SyntheticImageSet.unitStatistics(), seed: 3, workers: 3, prefetchDepth: 2
        )

        do {
            var iterator = loader.batches(epoch: 0).makeIterator()
            #expect(iterator.next()?.count == 4)
            #expect(iterator.next()?.count == 4)
            #expect(loader.runningWorkers == 3)
        }

        #expect(loader.runningWorkers == 0)
        for _ in 0..<20 {
            var iterator = loader.batches(epoch: 1).makeIterator()
            _ = iterator.next()
        }
        #expect(loader.runningWorkers == 0)
    }

    @Test func finishingTheEpochStopsTheWorkers() {
        let loader = trainingLoader(workers: 2)

        var iterator = loader.batches(epoch: 0).makeIterator()
        var delivered = 0
        while iterator.next() != nil {
            delivered += 1
        }

        #expect(delivered == 12)
        #expect(iterator.next() == nil)
        let deadline = Date().addingTimeInterval(5)
        while loader.runningWorkers > 0 && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.001)
        }
        #expect(loader.runningWorkers == 0)
    }

    @Test func permutationIsAPermutationForSmallCounts() {
        for count in 0..<20 {
            let order = CounterRandomGenerator.permutation(count: count, seed: 11, epoch: 0)
            #expect(order.sorted() == Array(0..<count))
        }
    }

    @Test func uniformDrawsStayInRange() {
        var generator = CounterRandomGenerator(seed: 5, epoch: 0, stream: .permutation, index: 0)
        var seen = Set<Int>()
        for _ in 0..<2000 {
            let value = generator.uniform(below: 7)
            #expect((0..<7).contains(value))
            seen.insert(value)
        }
        #expect(seen == Set(0..<7))
    }
}
