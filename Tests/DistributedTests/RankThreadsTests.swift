import Distributed
import Testing

struct RankThreadsTests {
    @Test func affinityListsAreCounted() {
        #expect(RankThreads.allowedCoreCount(status: "Name:\thone\nCpus_allowed_list:\t0-3,8,10-11\n") == 7)
        #expect(RankThreads.allowedCoreCount(status: "Cpus_allowed_list:\t5\n") == 1)
        #expect(RankThreads.allowedCoreCount(status: "Name:\thone\n") == nil)
    }

    @Test func aSingleProcessKeepsOpenMPsDefault() {
        #expect(RankThreads.count(environment: [:], allowedCores: 16, machineCores: 16) == nil)
        #expect(RankThreads.count(environment: ["OMPI_COMM_WORLD_LOCAL_SIZE": "1"], allowedCores: 16, machineCores: 16) == nil)
    }

    /// `mpirun` bound the rank: it uses the cores it was given.
    @Test func aBoundRankUsesItsCores() {
        #expect(RankThreads.count(environment: ["OMPI_COMM_WORLD_LOCAL_SIZE": "2"], allowedCores: 1, machineCores: 2) == 1)
        #expect(RankThreads.count(environment: ["OMPI_COMM_WORLD_LOCAL_SIZE": "4"], allowedCores: 8, machineCores: 32) == 8)
    }

    /// `--bind-to none`: every rank sees every core, so each takes its share.
    @Test func anUnboundRankTakesItsShareOfTheMachine() {
        #expect(RankThreads.count(environment: ["OMPI_COMM_WORLD_LOCAL_SIZE": "4"], allowedCores: 32, machineCores: 32) == 8)
        #expect(RankThreads.count(environment: ["OMPI_COMM_WORLD_LOCAL_SIZE": "3"], allowedCores: 2, machineCores: 2) == 1)
    }

    @Test func ompNumThreadsWins() {
        #expect(RankThreads.count(environment: ["OMPI_COMM_WORLD_LOCAL_SIZE": "4", "OMP_NUM_THREADS": "3"],
                                  allowedCores: 32, machineCores: 32) == nil)
    }
}
