import Foundation
import Optimizers
import Testing

/// Expected values are worked out by hand from the formulas in `LearningRateSchedule`'s documentation.
struct LearningRateScheduleTests {
    private func expectClose(_ actual: Double, _ expected: Double, tolerance: Double = 1e-12,
                             sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(abs(actual - expected) <= tolerance, "\(actual) is not \(expected)", sourceLocation: sourceLocation)
    }

    @Test func warmupRisesLinearlyFromStartAndReachesPeakAtWarmupSteps() {
        let schedule = LearningRateSchedule(peak: 1, totalSteps: 110, warmupSteps: 10, warmupStart: 0.1,
                                            decay: .cosine(minimum: 0))
        expectClose(schedule.learningRate(atStep: 0), 0.1)
        expectClose(schedule.learningRate(atStep: 5), 0.55)
        expectClose(schedule.learningRate(atStep: 9), 0.91)
        expectClose(schedule.learningRate(atStep: 10), 1)
    }

    @Test func cosineHalvesAtTheMiddleOfTheDecay() {
        let schedule = LearningRateSchedule(peak: 1.1, totalSteps: 110, warmupSteps: 10, warmupStart: 0,
                                            decay: .cosine(minimum: 0.1))
        expectClose(schedule.learningRate(atStep: 10), 1.1)
        expectClose(schedule.learningRate(atStep: 35), 0.1 + (1 + 0.5.squareRoot()) / 2)
        expectClose(schedule.learningRate(atStep: 60), 0.6)
        expectClose(schedule.learningRate(atStep: 85), 0.1 + (1 - 0.5.squareRoot()) / 2)
        expectClose(schedule.learningRate(atStep: 109), 0.1 + (1 + cos(0.99 * Double.pi)) / 2)
    }

    @Test func cosineNeverRisesAfterWarmupAndNeverFallsDuringIt() {
        let schedule = LearningRateSchedule(peak: 0.4, totalSteps: 1000, warmupSteps: 50, warmupStart: 0.0001,
                                            decay: .cosine(minimum: 1e-5))
        let rates = (0..<1000).map { schedule.learningRate(atStep: $0) }
        for step in 1..<50 { #expect(rates[step] > rates[step - 1]) }
        for step in 51..<1000 { #expect(rates[step] <= rates[step - 1]) }
        #expect(rates.allSatisfy { $0 >= 1e-5 && $0 <= 0.4 })
    }

    @Test func polynomialFollowsThePowerOfTheRemainingFraction() {
        let square = LearningRateSchedule(peak: 1, totalSteps: 10, warmupSteps: 0, warmupStart: 0,
                                          decay: .polynomial(power: 2, minimum: 0))
        expectClose(square.learningRate(atStep: 0), 1)
        expectClose(square.learningRate(atStep: 5), 0.25)
        expectClose(square.learningRate(atStep: 9), 0.01)
        let linear = LearningRateSchedule(peak: 1, totalSteps: 14, warmupSteps: 4, warmupStart: 0,
                                          decay: .polynomial(power: 1, minimum: 0.1))
        expectClose(linear.learningRate(atStep: 4), 1)
        expectClose(linear.learningRate(atStep: 9), 0.55)
        expectClose(linear.learningRate(atStep: 13), 0.19)
    }

    @Test func stepDecayCountsPeriodsFromTheEndOfWarmup() {
        let schedule = LearningRateSchedule(peak: 1, totalSteps: 20, warmupSteps: 2, warmupStart: 0,
                                            decay: .step(everySteps: 3, gamma: 0.5))
        expectClose(schedule.learningRate(atStep: 1), 0.5)
        expectClose(schedule.learningRate(atStep: 2), 1)
        expectClose(schedule.learningRate(atStep: 4), 1)
        expectClose(schedule.learningRate(atStep: 5), 0.5)
        expectClose(schedule.learningRate(atStep: 10), 0.25)
        expectClose(schedule.learningRate(atStep: 11), 0.125)
    }

    @Test func multiStepMilestonesAreAbsoluteSteps() {
        let schedule = LearningRateSchedule(peak: 0.1, totalSteps: 90, warmupSteps: 5, warmupStart: 0,
                                            decay: .multiStep(milestones: [30, 60, 80], gamma: 0.1))
        expectClose(schedule.learningRate(atStep: 5), 0.1)
        expectClose(schedule.learningRate(atStep: 29), 0.1)
        expectClose(schedule.learningRate(atStep: 30), 0.01)
        expectClose(schedule.learningRate(atStep: 59), 0.01)
        expectClose(schedule.learningRate(atStep: 60), 0.001)
        expectClose(schedule.learningRate(atStep: 80), 0.0001)
        expectClose(schedule.learningRate(atStep: 89), 0.0001)
    }

    @Test func constantHoldsThePeakAfterWarmup() {
        let schedule = LearningRateSchedule(peak: 0.3, totalSteps: 10, warmupSteps: 3, warmupStart: 0,
                                            decay: .constant)
        expectClose(schedule.learningRate(atStep: 1), 0.1)
        for step in 3..<10 { expectClose(schedule.learningRate(atStep: step), 0.3) }
    }

    @Test func stepsPastTheEndKeepTheLastStepsRate() {
        let schedule = LearningRateSchedule(peak: 1, totalSteps: 100, warmupSteps: 10, warmupStart: 0,
                                            decay: .cosine(minimum: 0))
        let last = schedule.learningRate(atStep: 99)
        #expect(schedule.learningRate(atStep: 100) == last)
        #expect(schedule.learningRate(atStep: 1_000_000) == last)
    }

    @Test func zeroWarmupStartsAtThePeak() {
        let schedule = LearningRateSchedule(peak: 0.5, totalSteps: 10, warmupSteps: 0, warmupStart: 0.001,
                                            decay: .cosine(minimum: 0))
        expectClose(schedule.learningRate(atStep: 0), 0.5)
        expectClose(schedule.learningRate(atStep: 5), 0.25)
    }

    @Test func warmupOverTheWholeRunNeverReachesThePeak() {
        let schedule = LearningRateSchedule(peak: 1, totalSteps: 4, warmupSteps: 4, warmupStart: 0,
                                            decay: .cosine(minimum: 0))
        let rates = (0..<6).map { schedule.learningRate(atStep: $0) }
        #expect(rates == [0, 0.25, 0.5, 0.75, 0.75, 0.75])
    }

    @Test func singleStepRunUsesThePeak() {
        let schedule = LearningRateSchedule(peak: 0.2, totalSteps: 1, warmupSteps: 0, warmupStart: 0,
                                            decay: .polynomial(power: 1, minimum: 0))
        #expect(schedule.learningRate(atStep: 0) == 0.2)
        #expect(schedule.learningRate(atStep: 7) == 0.2)
    }

    @Test func curveSamplesEveryStrideAndAlwaysTheLastStep() {
        let schedule = LearningRateSchedule(peak: 1, totalSteps: 10, warmupSteps: 2, warmupStart: 0,
                                            decay: .cosine(minimum: 0))
        #expect(schedule.curve().map(\.step) == Array(0..<10))
        #expect(schedule.curve(every: 3).map(\.step) == [0, 3, 6, 9])
        #expect(schedule.curve(every: 4).map(\.step) == [0, 4, 8, 9])
        #expect(schedule.curve(every: 50).map(\.step) == [0, 9])
        for point in schedule.curve(every: 3) {
            #expect(point.learningRate == schedule.learningRate(atStep: point.step))
        }
    }

    @Test func equalSchedulesCompareEqual() {
        let first = LearningRateSchedule(peak: 0.1, totalSteps: 90, warmupSteps: 5, warmupStart: 0,
                                         decay: .multiStep(milestones: [30, 60], gamma: 0.1))
        let second = LearningRateSchedule(peak: 0.1, totalSteps: 90, warmupSteps: 5, warmupStart: 0,
                                          decay: .multiStep(milestones: [30, 60], gamma: 0.1))
        let third = LearningRateSchedule(peak: 0.1, totalSteps: 90, warmupSteps: 5, warmupStart: 0,
                                         decay: .multiStep(milestones: [30, 70], gamma: 0.1))
        #expect(first == second)
        #expect(first != third)
    }

    @Test func programmerErrorsStopTheProcess() async {
        await #expect(processExitsWith: .failure) {
            _ = LearningRateSchedule(peak: 1, totalSteps: 0, warmupSteps: 0, warmupStart: 0, decay: .constant)
        }
        await #expect(processExitsWith: .failure) {
            _ = LearningRateSchedule(peak: 1, totalSteps: 10, warmupSteps: 11, warmupStart: 0, decay: .constant)
        }
        await #expect(processExitsWith: .failure) {
            _ = LearningRateSchedule(peak: 1, totalSteps: 10, warmupSteps: 0, warmupStart: 0,
                                     decay: .multiStep(milestones: [6, 3], gamma: 0.1))
        }
        await #expect(processExitsWith: .failure) {
            _ = LearningRateSchedule(peak: 1, totalSteps: 10, warmupSteps: 0, warmupStart: 0,
                                     decay: .step(everySteps: 0, gamma: 0.1))
        }
    }
}
