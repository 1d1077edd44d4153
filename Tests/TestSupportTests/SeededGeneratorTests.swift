import Testing
import TensorCore
import TestSupport

/// The generator's published sequence and the distributions built on it.
struct SeededGeneratorTests {
    @Test func seedZeroGivesThePublishedSequence() {
        var generator = SeededGenerator(seed: 0)
        #expect(generator.next() == 0xE220_A839_7B1D_CDAF)
        #expect(generator.next() == 0x6E78_9E6A_A1B9_65F4)
        #expect(generator.next() == 0x06C4_5D18_8009_454F)
    }

    @Test func uniformDrawsStayInRangeWithTheRightMean() {
        var generator = SeededGenerator(seed: 11)
        let draws = (0..<20_000).map { _ in generator.uniform(in: -2...3) }
        #expect(draws.allSatisfy { $0 >= -2 && $0 < 3 })
        let mean = draws.reduce(0, +) / Double(draws.count)
        #expect(abs(mean - 0.5) < 0.05)
    }

    @Test func normalDrawsHaveTheRequestedMoments() {
        var generator = SeededGenerator(seed: 12)
        let draws = (0..<20_000).map { _ in generator.normal(mean: 1, standardDeviation: 2) }
        let mean = draws.reduce(0, +) / Double(draws.count)
        let variance = draws.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(draws.count)
        #expect(abs(mean - 1) < 0.05)
        #expect(abs(variance - 4) < 0.2)
    }
}
