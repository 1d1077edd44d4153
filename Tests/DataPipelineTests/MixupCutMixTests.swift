@testable import DataPipeline
import Foundation
import Testing

/// Mixup and CutMix: λ's distribution, the switch and mixing probabilities, exact pixels and targets in every mode.
struct MixupCutMixTests {
    /// N images of `channels × height × width`, image `i` filled with the value `i`, labels `i % classes`.
    func constantBatch(count: Int, channels: Int = 3, height: Int = 16, width: Int = 12, classes: Int = 10) -> FloatBatch {
        let size = channels * height * width
        var pixels = [Float](repeating: 0, count: count * size)
        for image in 0..<count {
            for offset in 0..<size { pixels[image * size + offset] = Float(image) }
        }
        return FloatBatch(count: count, channels: channels, height: height, width: width, pixels: pixels,
                          labels: (0..<count).map { Int32($0 % classes) }, indices: Array(0..<count))
    }

    func draws(_ mixing: MixupCutMix, count: Int) -> [MixupCutMix.Draw] {
        (0..<count).map { index in
            var generator = CounterRandomGenerator(seed: 5, epoch: 1, stream: .mixing, index: index)
            return mixing.draw(using: &generator)
        }
    }

    @Test(arguments: [0.2, 0.4, 1.0, 2.0])
    func lambdaFollowsASymmetricBetaDistribution(alpha: Double) {
        let lambdas = draws(MixupCutMix(mixupAlpha: alpha), count: 20_000).map(\.lambda)
        let mean = lambdas.reduce(0, +) / Double(lambdas.count)
        let variance = lambdas.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(lambdas.count)
        let expectedVariance = 1 / (4 * (2 * alpha + 1))
        #expect(abs(mean - 0.5) < 0.01, "mean \(mean)")
        #expect(abs(variance - expectedVariance) < 0.04 * expectedVariance + 0.002, "variance \(variance) vs \(expectedVariance)")
        #expect(lambdas.allSatisfy { (0...1).contains($0) })
    }

    /// Beta(1, 1) is uniform: the Kolmogorov–Smirnov distance to the uniform CDF is within the 1% critical value.
    @Test func lambdaIsUniformForAlphaOne() {
        let lambdas = draws(MixupCutMix(mixupAlpha: 1), count: 10_000).map(\.lambda).sorted()
        let count = Double(lambdas.count)
        let distance = lambdas.enumerated().map { index, value in
            max(abs(Double(index + 1) / count - value), abs(value - Double(index) / count))
        }.max() ?? 1
        #expect(distance < 1.63 / count.squareRoot(), "KS distance \(distance)")
    }

    @Test func betaDrawsHaveTheRightMeanForUnequalShapes() {
        var generator = CounterRandomGenerator(seed: 1, epoch: 0, stream: .mixing, index: 0)
        let values = (0..<20_000).map { _ in generator.beta(2, 5) }
        let mean = values.reduce(0, +) / Double(values.count)
        #expect(abs(mean - 2.0 / 7) < 0.005, "mean \(mean)")
    }

    @Test(arguments: [0.2, 0.5, 0.8])
    func switchProbabilityChoosesCutMix(switchProbability: Double) {
        let mixing = MixupCutMix(mixupAlpha: 0.8, cutMixAlpha: 1, switchProbability: switchProbability)
        let share = Double(draws(mixing, count: 10_000).filter(\.usesCutMix).count) / 10_000
        #expect(abs(share - switchProbability) < 0.02, "CutMix share \(share)")
    }

    @Test func mixingProbabilityLeavesTheRestUnmixed() {
        let unmixed = draws(MixupCutMix(mixupAlpha: 1, probability: 0.3), count: 10_000).filter { $0.lambda == 1 }.count
        #expect(abs(Double(unmixed) / 10_000 - 0.7) < 0.02, "unmixed \(unmixed)")
        let cutMixOnly = draws(MixupCutMix(cutMixAlpha: 1), count: 100).filter(\.usesCutMix).count
        let mixupOnly = draws(MixupCutMix(mixupAlpha: 1), count: 100).filter(\.usesCutMix).count
        #expect(cutMixOnly == 100 && mixupOnly == 0)
    }

    @Test func mixupBlendsEachImageWithItsMirrorAndMixesTheSmoothedTargets() throws {
        let original = constantBatch(count: 6)
        var batch = original
        let mixing = MixupCutMix(mixupAlpha: 1, labelSmoothing: 0.1)
        let lambdas = mixing.apply(to: &batch, classCount: 10, seed: 3, epoch: 0, batchNumber: 7)
        let lambda = try #require(lambdas.first)
        #expect(lambda != 1 && lambdas.allSatisfy { $0 == lambda })
        let size = original.pixelsPerImage
        for image in 0..<6 {
            let expected = Float(image) * Float(lambda) + Float(5 - image) * Float(1 - lambda)
            #expect(batch.pixels[(image * size)..<((image + 1) * size)].allSatisfy { $0 == expected })
        }
        let targets = try #require(batch.softTargets)
        #expect(targets.count == 60)
        for image in 0..<6 {
            let row = Array(targets[(image * 10)..<(image * 10 + 10)])
            #expect(abs(row.reduce(0, +) - 1) < 1e-5)
            let (own, partner) = (image, 5 - image)
            for column in 0..<10 {
                let first = column == own ? 0.91 : 0.01
                let second = column == partner ? 0.91 : 0.01
                #expect(abs(Double(row[column]) - (first * lambda + second * (1 - lambda))) < 1e-6)
            }
        }
    }

    @Test func cutMixPastesOneBoxFromTheMirrorAndCorrectsLambdaToTheVisibleShare() throws {
        let mixing = MixupCutMix(cutMixAlpha: 1)
        var checked = 0
        for batchNumber in 0..<20 {
            var batch = constantBatch(count: 4)
            let lambdas = mixing.apply(to: &batch, classCount: 10, seed: 9, epoch: 2, batchNumber: batchNumber)
            let size = batch.pixelsPerImage
            for image in 0..<4 {
                let pixels = batch.pixels[(image * size)..<((image + 1) * size)]
                let pasted = pixels.filter { $0 == Float(3 - image) }.count
                #expect(pixels.allSatisfy { $0 == Float(image) || $0 == Float(3 - image) })
                #expect(pasted % 3 == 0, "the box covers every channel")
                #expect(abs(lambdas[image] - (1 - Double(pasted / 3) / Double(16 * 12))) < 1e-12)
            }
            if lambdas[0] < 1 { checked += 1 }
            let rows = Set((0..<16).filter { row in (0..<12).contains { batch.pixels[row * 12 + $0] == 3 } })
            if let top = rows.min(), let bottom = rows.max() {
                #expect(rows.count == bottom - top + 1, "the pasted rows are contiguous")
            }
        }
        #expect(checked > 10)
    }

    @Test func pairModeSharesOneDrawPerMirroredPairAndSwapsTheBoxBothWays() {
        let mixing = MixupCutMix(mixupAlpha: 0.5, cutMixAlpha: 1, mode: .pair)
        var batch = constantBatch(count: 8)
        let lambdas = mixing.apply(to: &batch, classCount: 10, seed: 4, epoch: 0, batchNumber: 0)
        for first in 0..<4 { #expect(lambdas[first] == lambdas[7 - first]) }
        #expect(Set(lambdas).count > 1, "pairs draw their own λ")
        let size = batch.pixelsPerImage
        for first in 0..<4 {
            let second = 7 - first
            let a = batch.pixels[(first * size)..<((first + 1) * size)]
            let b = batch.pixels[(second * size)..<((second + 1) * size)]
            for (x, y) in zip(a, b) {
                #expect(abs(x + y - Float(first + second)) < 1e-4, "each pixel of a pair holds the two images' values between them")
            }
            #expect(a.contains { $0 != Float(first) } == (lambdas[first] < 1), "pair \(first) mixed exactly when λ < 1")
        }
    }

    @Test func elementModeDrawsPerImage() {
        var batch = constantBatch(count: 8)
        let lambdas = MixupCutMix(mixupAlpha: 1, mode: .element).apply(to: &batch, classCount: 10, seed: 4, epoch: 0,
                                                                      batchNumber: 0)
        #expect(Set(lambdas).count == 8)
        let size = batch.pixelsPerImage
        for image in 0..<8 {
            let expected = Float(image) * Float(lambdas[image]) + Float(7 - image) * Float(1 - lambdas[image])
            #expect(abs(batch.pixels[image * size] - expected) < 1e-5)
        }
    }

    @Test func cutMixFractionsBoundTheBoxSides() {
        let mixing = MixupCutMix(cutMixFractions: 0.25...0.5)
        for batchNumber in 0..<50 {
            var batch = constantBatch(count: 2, channels: 1, height: 40, width: 40)
            mixing.apply(to: &batch, classCount: 10, seed: 1, epoch: 0, batchNumber: batchNumber)
            let rows = (0..<40).filter { row in (0..<40).contains { batch.pixels[row * 40 + $0] == 1 } }
            let columns = (0..<40).filter { column in (0..<40).contains { batch.pixels[$0 * 40 + column] == 1 } }
            #expect((10..<20).contains(rows.count) && (10..<20).contains(columns.count),
                    "box \(rows.count)×\(columns.count)")
        }
    }

    @Test func drawsDependOnlyOnSeedEpochAndBatchNumber() {
        let mixing = MixupCutMix(mixupAlpha: 0.2, cutMixAlpha: 1)
        var first = constantBatch(count: 4)
        var second = constantBatch(count: 4)
        var other = constantBatch(count: 4)
        mixing.apply(to: &first, classCount: 10, seed: 8, epoch: 3, batchNumber: 11)
        mixing.apply(to: &second, classCount: 10, seed: 8, epoch: 3, batchNumber: 11)
        mixing.apply(to: &other, classCount: 10, seed: 8, epoch: 3, batchNumber: 12)
        #expect(first == second)
        #expect(first != other)
    }
}
