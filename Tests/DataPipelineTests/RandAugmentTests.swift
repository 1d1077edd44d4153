@testable import DataPipeline
import Foundation
import Testing

/// timm's RandAugment: uniform picks with replacement, op probability, magnitude noise and clip, determinism.
struct RandAugmentTests {
    /// Mean and standard deviation of `values`.
    private func moments(_ values: [Double]) -> (mean: Double, deviation: Double) {
        let mean = values.reduce(0, +) / Double(values.count)
        let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count - 1)
        return (mean, variance.squareRoot())
    }

    @Test func opsArePickedUniformlyWithReplacementAndRunWithProbabilityOneHalf() {
        let augmentation = RandAugment(magnitude: 9, numberOfOperations: 2)
        var picks: [AugmentOperation: Int] = [:]
        var repeated = 0
        var applied = 0
        let images = 6000
        for index in 0..<images {
            let steps = augmentation.draw(seed: 21, epoch: 0, index: index)
            #expect(steps.count == 2)
            for step in steps { picks[step.operation, default: 0] += 1 }
            if steps[0].operation == steps[1].operation { repeated += 1 }
            applied += steps.filter(\.applies).count
        }
        // 800 picks expected per op (binomial deviation about 27); 1 image in 15 repeats its op (400, deviation about 19).
        #expect(Set(picks.keys) == Set(RandAugment.standardOperations))
        #expect(picks.values.allSatisfy { $0 > 700 && $0 < 900 }, "\(picks)")
        #expect(repeated > 320 && repeated < 480, "picks are with replacement: \(repeated) repeats")
        #expect(abs(Double(applied) / Double(2 * images) - 0.5) < 0.015)
    }

    @Test func gaussianNoiseHasTheConfiguredSpreadAndIsClippedToZeroThroughTen() {
        let narrow = RandAugment(magnitude: 9, noise: .gaussian(standardDeviation: 0.5))
        let wide = RandAugment(magnitude: 9, noise: .gaussian(standardDeviation: 2))
        var narrowMagnitudes: [Double] = []
        var wideMagnitudes: [Double] = []
        for index in 0..<4000 {
            narrowMagnitudes += narrow.draw(seed: 3, epoch: 1, index: index).map(\.magnitude)
            wideMagnitudes += wide.draw(seed: 3, epoch: 1, index: index).map(\.magnitude)
        }
        // N(9, 0.5) clipped at 10 has mean 8.996 and deviation 0.49; 8000 draws give a mean within about 0.006.
        let (mean, deviation) = moments(narrowMagnitudes)
        #expect(abs(mean - 8.996) < 0.03 && abs(deviation - 0.49) < 0.03, "mean \(mean), deviation \(deviation)")
        #expect(wideMagnitudes.allSatisfy { (0...10).contains($0) })
        // P(N(9, 2) > 10) = 0.309: that share sits exactly on the clip.
        let clipped = Double(wideMagnitudes.filter { $0 == 10 }.count) / Double(wideMagnitudes.count)
        #expect(abs(clipped - 0.309) < 0.02, "\(clipped)")
        #expect(wideMagnitudes.contains { $0 < 4 })
    }

    @Test func mstdAbove100SamplesUniformlyUpToTheMagnitude() throws {
        guard case .randAugment(let augmentation) = try AutomaticAugmentation(parsing: "rand-m9-mstd101") else {
            Issue.record("rand-m9-mstd101 is not RandAugment")
            return
        }
        #expect(augmentation.noise == .uniform)
        let magnitudes = (0..<4000).flatMap { augmentation.draw(seed: 8, epoch: 0, index: $0).map(\.magnitude) }
        let (mean, deviation) = moments(magnitudes)
        #expect(abs(mean - 4.5) < 0.1 && abs(deviation - 9 / 12.0.squareRoot()) < 0.06, "mean \(mean), deviation \(deviation)")
        #expect(magnitudes.allSatisfy { $0 >= 0 && $0 < 9 })
    }

    @Test func magnitudeMaximumRaisesTheClip() {
        let augmentation = RandAugment(magnitude: 12, noise: .gaussian(standardDeviation: 1), magnitudeMaximum: 20)
        let magnitudes = (0..<500).flatMap { augmentation.draw(seed: 2, epoch: 0, index: $0).map(\.magnitude) }
        #expect(magnitudes.contains { $0 > 11 } && magnitudes.allSatisfy { $0 <= 20 })
        let clippedAtTen = RandAugment(magnitude: 12)
        #expect(clippedAtTen.draw(seed: 2, epoch: 0, index: 0).allSatisfy { $0.magnitude == 10 })
    }

    @Test func weightedPicksNeverRepeatAndFavourTheHeavyOps() {
        let weights = RandAugment.weightedOperations
        let augmentation = RandAugment(operations: weights.map(\.operation), weights: weights.map(\.weight),
                                       numberOfOperations: 3, magnitude: 9)
        var picks: [AugmentOperation: Int] = [:]
        for index in 0..<3000 {
            let steps = augmentation.draw(seed: 4, epoch: 0, index: index)
            #expect(Set(steps.map(\.operation)).count == 3)
            for step in steps { picks[step.operation, default: 0] += 1 }
        }
        let rotations = picks[.rotate] ?? 0
        #expect(picks.values.allSatisfy { $0 <= rotations } && rotations > 1500, "\(picks)")
        #expect((picks[.invert] ?? 0) < 200)
    }

    @Test func increasingListSwapsInTheIncreasingVariants() {
        #expect(RandAugment.standardOperations.count == 15 && RandAugment.increasingOperations.count == 15)
        let swapped = zip(RandAugment.standardOperations, RandAugment.increasingOperations).filter { $0 != $1 }
        #expect(swapped.map(\.1) == [.posterizeIncreasing, .solarizeIncreasing, .colorIncreasing, .contrastIncreasing,
                                    .brightnessIncreasing, .sharpnessIncreasing])
        #expect(RandAugment(increasing: true).operations == RandAugment.increasingOperations)
    }

    @Test func imagesDependOnlyOnSeedEpochAndIndex() {
        let augmentation = RandAugment(magnitude: 9, increasing: true, noise: .gaussian(standardDeviation: 0.5))
        let image = ByteImage(width: 9, height: 7, channels: 3, pixels: (0..<189).map { UInt8(($0 * 37) % 251) })
        let forward = (0..<40).map { augmentation.apply(to: image, seed: 6, epoch: 3, index: $0) }
        let backward = (0..<40).reversed().map { augmentation.apply(to: image, seed: 6, epoch: 3, index: $0) }.reversed()
        #expect(forward == Array(backward))
        #expect(forward.filter { $0 != image }.count > 20)
        #expect(forward != (0..<40).map { augmentation.apply(to: image, seed: 6, epoch: 4, index: $0) })
        #expect(forward != (0..<40).map { augmentation.apply(to: image, seed: 7, epoch: 3, index: $0) })
        let steps = augmentation.draw(seed: 6, epoch: 3, index: 5)
        #expect(augmentation.apply(to: image, steps: steps) == forward[5])
    }

    @Test func randomInterpolationPicksBilinearAndBicubicEvenly() {
        let augmentation = RandAugment(magnitude: 5)
        let steps = (0..<3000).flatMap { augmentation.draw(seed: 1, epoch: 0, index: $0) }
        let bicubic = steps.filter { $0.interpolation == .bicubic }.count
        #expect(steps.allSatisfy { $0.interpolation != .nearest })
        #expect(abs(Double(bicubic) / Double(steps.count) - 0.5) < 0.02)
        let fixed = RandAugment(magnitude: 5, hyperparameters: AugmentHyperparameters(interpolation: .fixed(.nearest)))
        #expect(fixed.draw(seed: 1, epoch: 0, index: 0).allSatisfy { $0.interpolation == .nearest })
    }
}
