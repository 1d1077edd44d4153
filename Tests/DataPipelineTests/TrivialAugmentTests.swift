@testable import DataPipeline
import Testing

/// torchvision 0.14's TrivialAugmentWide on PIL images (tolerance 0: byte for byte), its magnitude tables and draws.
struct TrivialAugmentTests {
    @Test func everyOpMatchesTorchvisionsApplyOpByteForByte() throws {
        let fixture = try AutoAugmentFixture.load()
        let cases = fixture.cases(scheme: "torchvision")
        #expect(cases.count == 11)
        let trivial = TrivialAugmentWide()
        for testCase in cases {
            let step = try #require(testCase.steps.first)
            let operation = try #require(TrivialAugmentWide.Operation(rawValue: step.operation ?? ""), "\(testCase.name)")
            let draw = TrivialAugmentWide.Draw(operation: operation, magnitude: step.magnitude,
                                               interpolation: try AutoAugmentFixture.interpolation(step))
            let source = try fixture.source(of: testCase)
            let output = trivial.apply(to: source, draw: draw)
            let difference = ImageDifference(output, try fixture.expected(testCase))
            #expect(difference.isExact, "\(testCase.name): \(difference)")
            #expect(output != source, "\(testCase.name) left the image unchanged")
        }
    }

    @Test func magnitudeTablesAreTorchvisionsFloat32Values() throws {
        let fixture = try AutoAugmentFixture.load()
        let withTables = TrivialAugmentWide.Operation.allCases.filter(\.hasMagnitude)
        #expect(Set(fixture.trivialAugmentMagnitudes.keys) == Set(withTables.map(\.rawValue)))
        for operation in withTables {
            let expected = try #require(fixture.trivialAugmentMagnitudes[operation.rawValue])
            #expect(expected.count == TrivialAugmentWide.binCount)
            let actual = (0..<TrivialAugmentWide.binCount).map { operation.magnitude(bin: $0) }
            #expect(actual == expected, "\(operation)")
        }
        #expect(TrivialAugmentWide.Operation.translateX.magnitude(bin: 15) == 16, "torch's vectorised linspace gives exactly 16")
    }

    @Test func drawsPickOpsAndBinsUniformlyWithFairSigns() {
        let trivial = TrivialAugmentWide(interpolation: .random)
        var operations: [TrivialAugmentWide.Operation: Int] = [:]
        var rotationBins: [Double: Int] = [:]
        var negative = 0
        var signed = 0
        var bicubic = 0
        let draws = 14_000
        for index in 0..<draws {
            let draw = trivial.draw(seed: 5, epoch: 2, index: index)
            operations[draw.operation, default: 0] += 1
            if draw.operation == .rotate { rotationBins[abs(draw.magnitude), default: 0] += 1 }
            if draw.operation.isSigned {
                signed += 1
                if draw.magnitude < 0 { negative += 1 }
            } else {
                #expect(draw.magnitude >= 0)
            }
            if draw.interpolation == .bicubic { bicubic += 1 }
        }
        // 1000 expected per op (binomial deviation about 30); about 32 per rotation bin (deviation about 6).
        #expect(operations.count == 14 && operations.values.allSatisfy { $0 > 880 && $0 < 1120 }, "\(operations)")
        #expect(rotationBins.count == 31 && rotationBins.values.allSatisfy { $0 > 5 }, "\(rotationBins)")
        #expect(abs(Double(negative) / Double(signed) - 0.5) < 0.03)
        #expect(abs(Double(bicubic) / Double(draws) - 0.5) < 0.03)
    }

    @Test func drawsDependOnlyOnSeedEpochAndIndex() {
        let trivial = TrivialAugmentWide()
        let forward = (0..<64).map { trivial.draw(seed: 11, epoch: 1, index: $0) }
        let backward = (0..<64).reversed().map { trivial.draw(seed: 11, epoch: 1, index: $0) }.reversed()
        #expect(forward == Array(backward))
        #expect(forward != (0..<64).map { trivial.draw(seed: 11, epoch: 2, index: $0) })
        #expect(forward != (0..<64).map { trivial.draw(seed: 12, epoch: 1, index: $0) })
    }
}
