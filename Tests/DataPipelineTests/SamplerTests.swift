@testable import DataPipeline
import Testing

/// Samplers: exact evaluation across replicas, padded shuffles, and timm's repeated augmentation.
struct SamplerTests {
    func shares(_ order: Sampler.Order, count: Int, replicas: Int, epoch: Int = 0) -> [[Int]] {
        (0..<replicas).map {
            Sampler(order: order, replicaRank: $0, replicaCount: replicas).indices(sampleCount: count, seed: 7, epoch: epoch)
        }
    }

    @Test(arguments: [1, 2, 3, 4])
    func sequentialSamplingVisitsEverySampleExactlyOnceOverAllReplicas(replicas: Int) {
        let all = shares(.sequential, count: 10, replicas: replicas)
        #expect(all.flatMap { $0 }.sorted() == Array(0..<10))
        #expect(all.map(\.count).max()! - all.map(\.count).min()! <= 1)
        #expect(all[0].first == 0)
    }

    @Test func shuffledSamplingIsAPermutationFixedBySeedAndEpoch() {
        let sampler = Sampler(order: .shuffled)
        let first = sampler.indices(sampleCount: 100, seed: 1, epoch: 0)
        #expect(first.sorted() == Array(0..<100))
        #expect(first != Array(0..<100))
        #expect(first == sampler.indices(sampleCount: 100, seed: 1, epoch: 0))
        #expect(first != sampler.indices(sampleCount: 100, seed: 1, epoch: 1))
        #expect(first != sampler.indices(sampleCount: 100, seed: 2, epoch: 0))
    }

    @Test func shuffledSharesAreEqualAndPaddedWithTheHeadOfThePermutation() {
        let all = shares(.shuffled, count: 10, replicas: 3)
        #expect(all.map(\.count) == [4, 4, 4])
        let visits = Dictionary(grouping: all.flatMap { $0 }, by: { $0 }).mapValues(\.count)
        #expect(visits.count == 10)
        let permutation = Sampler(order: .shuffled).indices(sampleCount: 10, seed: 7, epoch: 0)
        #expect(visits.filter { $0.value == 2 }.keys.sorted() == permutation.prefix(2).sorted())
    }

    /// Cut, not padded: every replica's batch k of b is exactly the single process's batch k of R·b, as a set.
    @Test(arguments: [2, 3])
    func shuffledSharesWithoutTheUnevenTailSplitEachGlobalBatch(replicas: Int) {
        let count = 23
        let permutation = Sampler(order: .shuffled).indices(sampleCount: count, seed: 7, epoch: 2)
        let all = (0..<replicas).map {
            Sampler(order: .shuffled, replicaRank: $0, replicaCount: replicas, dropsUnevenTail: true)
                .indices(sampleCount: count, seed: 7, epoch: 2)
        }
        #expect(all.allSatisfy { $0.count == count / replicas })
        #expect(Set(all.flatMap { $0 }).count == count / replicas * replicas, "no sample twice")
        let perReplica = 2
        for batch in 0..<(count / replicas / perReplica) {
            let union = all.flatMap { $0[(batch * perReplica)..<((batch + 1) * perReplica)] }
            let global = permutation[(batch * perReplica * replicas)..<((batch + 1) * perReplica * replicas)]
            #expect(union.sorted() == global.sorted(), "batch \(batch)")
        }
    }

    @Test func repeatedAugmentationGivesEachReplicaTheSameImagesInTheSameSteps() {
        let all = shares(.repeatedAugmentation(repeats: 3, selectedRound: 0), count: 12, replicas: 3)
        #expect(all.map(\.count) == [4, 4, 4])
        #expect(all[0] == all[1] && all[1] == all[2])
        #expect(Set(all[0]).count == 4)
    }

    @Test func repeatedAugmentationOnOneReplicaRepeatsEachImageInARow() {
        let indices = Sampler(order: .repeatedAugmentation(repeats: 3, selectedRound: 0))
            .indices(sampleCount: 12, seed: 7, epoch: 0)
        #expect(indices.count == 12)
        for group in 0..<4 {
            #expect(Set(indices[(group * 3)..<(group * 3 + 3)]).count == 1)
        }
        #expect(Set(indices).count == 4)
    }

    /// timm keeps ⌊count / 256⌋ · 256 / R indices per replica.
    @Test func repeatedAugmentationKeepsTimmsSelectedShare() {
        let all = shares(.repeatedAugmentation(repeats: 3, selectedRound: 256), count: 1000, replicas: 2)
        #expect(all.map(\.count) == [384, 384])
        let one = Sampler(order: .repeatedAugmentation(repeats: 2, selectedRound: 256))
            .indices(sampleCount: 1000, seed: 7, epoch: 0)
        #expect(one.count == 768)
    }
}
