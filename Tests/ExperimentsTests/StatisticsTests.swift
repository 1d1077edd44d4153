import Experiments
import Foundation
import Testing

struct StatisticsTests {
    @Test func meanMedianAndSampleStandardDeviationMatchHandComputedValues() throws {
        #expect(SampleStatistics.mean([1, 2, 3, 4]) == 2.5)
        let deviation = try #require(SampleStatistics.standardDeviation([1, 2, 3, 4]))
        #expect(abs(deviation - (5.0 / 3).squareRoot()) < 1e-12, "divides by n - 1, not n")
        #expect(SampleStatistics.median([3, 1, 2]) == 2)
        #expect(SampleStatistics.median([4, 1, 3, 2]) == 2.5)
        #expect(SampleStatistics.mean([]) == nil)
        #expect(SampleStatistics.standardDeviation([7]) == nil)
    }

    /// Two-sided 95% points (the 0.975 quantile) and one 90% point, from published t tables.
    @Test(arguments: [
        (1.0, 0.975, 12.706205), (2, 0.975, 4.302653), (3, 0.975, 3.182446), (4, 0.975, 2.776445),
        (5, 0.975, 2.570582), (10, 0.975, 2.228139), (30, 0.975, 2.042272), (4, 0.95, 2.131847),
        (1_000_000, 0.975, 1.959966),
    ])
    func tQuantilesMatchPublishedTables(degreesOfFreedom: Double, probability: Double, expected: Double) {
        let quantile = StudentT.quantile(probability, degreesOfFreedom: degreesOfFreedom)
        #expect(abs(quantile - expected) < 2e-6, "t(\(probability), \(degreesOfFreedom)) = \(quantile)")
        #expect(abs(StudentT.quantile(1 - probability, degreesOfFreedom: degreesOfFreedom) + expected) < 2e-6)
    }

    @Test func tDistributionWithOneDegreeOfFreedomIsCauchy() {
        for t in [-5.0, -0.7, 0, 0.3, 2, 40] {
            let cauchy = 0.5 + atan(t) / Double.pi
            #expect(abs(StudentT.cumulativeProbability(t, degreesOfFreedom: 1) - cauchy) < 1e-12, "t = \(t)")
        }
    }

    @Test func pairedDeltaUsesOnlySeedsBothSidesFinishedWithATInterval() throws {
        let difference = PairedDifference(values: [0: 81, 1: 82, 2: 80], baseline: [0: 80, 2: 79.5], seeds: [0, 1, 2])
        #expect(difference.differences == [1, 0.5])
        #expect(difference.mean == 0.75)
        let interval = try #require(difference.interval())
        let halfWidth = 12.706205 * (0.125.squareRoot()) / 2.0.squareRoot()
        #expect(abs(interval.lowerBound - (0.75 - halfWidth)) < 1e-5)
        #expect(abs(interval.upperBound - (0.75 + halfWidth)) < 1e-5)
    }

    @Test func threePairsUseTheTwoDegreesOfFreedomQuantile() throws {
        let difference = PairedDifference(differences: [0.2, 0.5, 0.8])
        let interval = try #require(difference.interval())
        let halfWidth = 4.302653 * 0.3 / 3.0.squareRoot()
        #expect(abs(interval.lowerBound - (0.5 - halfWidth)) < 1e-5)
        #expect(abs(interval.upperBound - (0.5 + halfWidth)) < 1e-5)
    }

    @Test func onePairHasADeltaButNoInterval() {
        let difference = PairedDifference(values: [3: 70], baseline: [3: 69, 4: 71], seeds: [3, 4])
        #expect(difference.mean == 1)
        #expect(difference.interval() == nil)
    }
}
