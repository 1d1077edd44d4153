@testable import DataPipeline
import Testing

/// timm's AutoAugment ImageNet policies: the tables, the uniform sub-policy choice, per-op probabilities, determinism.
struct AutoAugmentTests {
    @Test func policiesHoldTimmsTwentyFiveSubPoliciesOfTwoOps() {
        for policy in AutoAugmentPolicy.allCases {
            #expect(policy.subPolicies.count == 25 && policy.subPolicies.allSatisfy { $0.count == 2 }, "\(policy)")
        }
        let original = AutoAugmentPolicy.original.subPolicies
        #expect(original[0] == [AugmentOp(.posterizeOriginal, probability: 0.4, magnitude: 8),
                                AugmentOp(.rotate, probability: 0.6, magnitude: 9)])
        #expect(original[14] == [AugmentOp(.color, probability: 0.6, magnitude: 4),
                                 AugmentOp(.contrast, probability: 1.0, magnitude: 8)])
        let v0 = AutoAugmentPolicy.v0.subPolicies
        #expect(v0[15] == [AugmentOp(.rotate, probability: 1.0, magnitude: 7),
                           AugmentOp(.translateYRelative, probability: 0.8, magnitude: 9)])
        #expect(v0[22] == [AugmentOp(.posterize, probability: 0.8, magnitude: 2),
                           AugmentOp(.solarize, probability: 0.6, magnitude: 10)])
        for (plain, research) in [(AutoAugmentPolicy.original, AutoAugmentPolicy.originalResearch), (.v0, .v0Research)] {
            for (ops, researchOps) in zip(plain.subPolicies, research.subPolicies) {
                for (op, researchOp) in zip(ops, researchOps) {
                    let isPosterize = [.posterize, .posterizeOriginal].contains(op.operation)
                    #expect(researchOp.operation == (isPosterize ? .posterizeIncreasing : op.operation))
                    #expect(researchOp.probability == op.probability && researchOp.magnitude == op.magnitude)
                }
            }
        }
    }

    @Test func subPoliciesAreChosenUniformlyAndOpsRunWithTheirOwnProbability() {
        let augmentation = AutoAugment(policy: .original)
        var chosen = [Int](repeating: 0, count: 25)
        var runs: [Double: (applied: Int, total: Int)] = [:]
        let images = 10_000
        for index in 0..<images {
            let draw = augmentation.draw(seed: 17, epoch: 0, index: index)
            chosen[draw.subPolicy] += 1
            let ops = AutoAugmentPolicy.original.subPolicies[draw.subPolicy]
            #expect(draw.steps.map(\.operation) == ops.map(\.operation))
            #expect(zip(draw.steps, ops).allSatisfy { $0.magnitude == $1.magnitude })
            for (step, op) in zip(draw.steps, ops) {
                let count = runs[op.probability, default: (0, 0)]
                runs[op.probability] = (count.applied + (step.applies ? 1 : 0), count.total + 1)
            }
        }
        // 400 expected per sub-policy; binomial deviation about 20.
        #expect(chosen.allSatisfy { $0 > 320 && $0 < 480 }, "\(chosen)")
        for (probability, count) in runs {
            let rate = Double(count.applied) / Double(count.total)
            #expect(abs(rate - probability) < 0.04, "p \(probability): \(rate) of \(count.total)")
        }
        #expect(runs[0.0]?.applied == 0 && runs[1.0].map { $0.applied == $0.total } == true)
    }

    @Test func magnitudeNoisePerturbsEveryOp() {
        let noisy = AutoAugment(policy: .v0, noise: .gaussian(standardDeviation: 0.5))
        var moved = 0
        for index in 0..<200 {
            let draw = noisy.draw(seed: 2, epoch: 0, index: index)
            for (step, op) in zip(draw.steps, AutoAugmentPolicy.v0.subPolicies[draw.subPolicy]) {
                #expect((0...10).contains(step.magnitude))
                if step.magnitude != op.magnitude { moved += 1 }
            }
        }
        #expect(moved > 350)
    }

    @Test func imagesDependOnlyOnSeedEpochAndIndex() {
        let augmentation = AutoAugment(policy: .v0)
        let image = ByteImage(width: 8, height: 6, channels: 3, pixels: (0..<144).map { UInt8(($0 * 53) % 241) })
        let forward = (0..<40).map { augmentation.apply(to: image, seed: 9, epoch: 1, index: $0) }
        let backward = (0..<40).reversed().map { augmentation.apply(to: image, seed: 9, epoch: 1, index: $0) }.reversed()
        #expect(forward == Array(backward))
        #expect(forward.filter { $0 != image }.count > 20)
        #expect(forward != (0..<40).map { augmentation.apply(to: image, seed: 9, epoch: 2, index: $0) })
        #expect(forward != (0..<40).map { augmentation.apply(to: image, seed: 10, epoch: 1, index: $0) })
    }
}
