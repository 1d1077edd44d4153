import Distributed
import Testing

struct SingleProcessCommunicatorTests {
    let communicator = SingleProcessCommunicator()

    @Test func everyCollectiveIsTheIdentity() throws {
        #expect(communicator.rank == 0 && communicator.worldSize == 1)
        for operation in ReductionOperation.allCases {
            var floats: [Float] = [1.5, -2, 3]
            try communicator.allReduce(&floats, operation)
            #expect(floats == [1.5, -2, 3])
            var integers: [Int64] = [1 << 40, -7]
            try communicator.allReduce(&integers, operation)
            #expect(integers == [1 << 40, -7])
        }
        var bytes: [UInt8] = [1, 2, 3]
        try communicator.broadcast(&bytes, from: 0)
        #expect(bytes == [1, 2, 3])
        #expect(try communicator.broadcast("recipe ✓", from: 0) == "recipe ✓")
        #expect(try communicator.allGather([2.5, 3.5]) == [[2.5, 3.5]])
        try communicator.barrier()
    }

    @Test func aStartedAllReduceHasCompleted() throws {
        var values: [Double] = [4, 5]
        try values.withUnsafeMutableBufferPointer { buffer in
            let pending = try communicator.startAllReduce(buffer, .sum)
            #expect(try pending.test())
            try pending.wait()
        }
        #expect(values == [4, 5])
    }

    @Test func collectiveCheckPassesOnOneRank() throws {
        let outcomes = try CollectiveCheck(elements: 1001).run(on: communicator)
        #expect(outcomes.count == 12)
        for outcome in outcomes { #expect(outcome.passed, "\(outcome.name): \(outcome.failures)") }
    }

    /// A communicator where every rank holds the same values fails the checks whose closed forms depend on the rank.
    @Test func collectiveCheckCatchesResultsThatIgnoreTheOtherRanks() throws {
        let outcomes = try CollectiveCheck(elements: 1001).run(on: FakeCommunicator(worldSize: 3))
        let failed = Set(outcomes.filter { !$0.passed }.map(\.name))
        #expect(failed.isSuperset(of: ["all-reduce sum float32", "all-reduce max float32/float64/int64",
                                       "non-blocking all-reduce, 3 in flight, waited out of order",
                                       "bucketed all-reduce average, gradients ready out of order",
                                       "broadcast float32 from the last rank", "all-gather int64"]),
                "failed: \(failed.sorted())")
        #expect(outcomes.first { $0.name == "all-reduce sum float32" }?.failures.map { [$0.rank, $0.firstWrongElement] }
                == [[0, 0], [1, 0], [2, 0]], "each rank's first wrong element (the fake gathers rank 0's verdict 3 times)")
    }
}
