@testable import DataPipeline
import Testing

/// timm's AutoAugment ops against PIL 9.4 (tolerance 0: byte for byte), and timm's level-to-argument formulas.
struct AugmentOpTests {
    @Test func everyTimmOpMatchesPILByteForByte() throws {
        let fixture = try AutoAugmentFixture.load()
        let cases = fixture.cases(scheme: "timm")
        #expect(cases.count == 40)
        for testCase in cases {
            let source = try fixture.source(of: testCase)
            var image = source
            for step in testCase.steps {
                let operation = try #require(AugmentOperation(rawValue: step.operation ?? ""), "\(testCase.name)")
                let drawn = AugmentStep(operation: operation, magnitude: step.magnitude, negated: step.negated ?? false,
                                        interpolation: try AutoAugmentFixture.interpolation(step))
                if let expected = step.argument {
                    #expect(drawn.argument(hyperparameters: fixture.hyperparameters) == expected, "\(testCase.name)")
                }
                image = drawn.apply(to: image, hyperparameters: fixture.hyperparameters)
            }
            let difference = ImageDifference(image, try fixture.expected(testCase))
            #expect(difference.isExact, "\(testCase.name): \(difference)")
            #expect(image != source, "\(testCase.name) left the image unchanged")
        }
    }

    @Test func goldensCoverEveryRandAugmentAndPolicyOp() throws {
        let fixture = try AutoAugmentFixture.load()
        let covered = Set(fixture.cases(scheme: "timm").flatMap { $0.steps.compactMap(\.operation) })
        let used = Set(RandAugment.standardOperations + RandAugment.increasingOperations
            + AutoAugmentPolicy.allCases.flatMap { $0.subPolicies.flatMap { $0.map(\.operation) } })
        #expect(used.map(\.rawValue).filter { !covered.contains($0) }.isEmpty, "\(used.map(\.rawValue).sorted())")
    }

    @Test func rotationFastPathsMatchPILsTransposes() throws {
        let fixture = try AutoAugmentFixture.load()
        let cases = fixture.cases(scheme: "pil_rotate")
        #expect(cases.count == 3)
        for testCase in cases {
            let step = try #require(testCase.steps.first)
            let rotated = try fixture.source(of: testCase).rotated(
                degrees: step.magnitude, interpolation: try AutoAugmentFixture.interpolation(step),
                fill: fixture.hyperparameters.fill)
            let difference = ImageDifference(rotated, try fixture.expected(testCase))
            #expect(difference.isExact, "\(testCase.name): \(difference)")
        }
    }

    /// The arguments of timm's `LEVEL_TO_ARG` functions (timm/data/auto_augment.py), written out from its formulas:
    /// rotate `(m/10)·30`, posterize `int((m/10)·4)`, increasing `4 − int((m/10)·4)`, original `int((m/10)·4) + 4`,
    /// solarize `min(256, int((m/10)·256))`, increasing `256 − that`, solarize-add `min(128, int((m/10)·110))`,
    /// enhance `(m/10)·1.8 + 0.1`, increasing `max(0.1, 1 ± (m/10)·0.9)`, shear `(m/10)·0.3`, relative translate
    /// `(m/10)·0.45`, absolute translate `(m/10)·translate_const`; signed ones negated by `_randomly_negate`.
    @Test func levelToArgumentFollowsTimmsFormulasAtMagnitudes0_5_9_10() {
        let hyperparameters = AugmentHyperparameters(translateConstant: 100)
        let expectations: [(AugmentOperation, [Double], [Double])] = [
            (.rotate, [0, 15, 27, 30], [-0.0, -15, -27, -30]),
            (.posterize, [0, 2, 3, 4], [0, 2, 3, 4]),
            (.posterizeIncreasing, [4, 2, 1, 0], [4, 2, 1, 0]),
            (.posterizeOriginal, [4, 6, 7, 8], [4, 6, 7, 8]),
            (.solarize, [0, 128, 230, 256], [0, 128, 230, 256]),
            (.solarizeIncreasing, [256, 128, 26, 0], [256, 128, 26, 0]),
            (.solarizeAdd, [0, 55, 99, 110], [0, 55, 99, 110]),
            (.color, [0.1, 1.0, 1.7200000000000002, 1.9000000000000001], [0.1, 1.0, 1.7200000000000002, 1.9000000000000001]),
            (.contrast, [0.1, 1.0, 1.7200000000000002, 1.9000000000000001], [0.1, 1.0, 1.7200000000000002, 1.9000000000000001]),
            (.brightness, [0.1, 1.0, 1.7200000000000002, 1.9000000000000001], [0.1, 1.0, 1.7200000000000002, 1.9000000000000001]),
            (.sharpness, [0.1, 1.0, 1.7200000000000002, 1.9000000000000001], [0.1, 1.0, 1.7200000000000002, 1.9000000000000001]),
            (.colorIncreasing, [1.0, 1.45, 1.81, 1.9], [1.0, 0.55, 0.18999999999999995, 0.1]),
            (.contrastIncreasing, [1.0, 1.45, 1.81, 1.9], [1.0, 0.55, 0.18999999999999995, 0.1]),
            (.brightnessIncreasing, [1.0, 1.45, 1.81, 1.9], [1.0, 0.55, 0.18999999999999995, 0.1]),
            (.sharpnessIncreasing, [1.0, 1.45, 1.81, 1.9], [1.0, 0.55, 0.18999999999999995, 0.1]),
            (.shearX, [0, 0.15, 0.27, 0.3], [-0.0, -0.15, -0.27, -0.3]),
            (.shearY, [0, 0.15, 0.27, 0.3], [-0.0, -0.15, -0.27, -0.3]),
            (.translateXRelative, [0, 0.225, 0.405, 0.45], [-0.0, -0.225, -0.405, -0.45]),
            (.translateYRelative, [0, 0.225, 0.405, 0.45], [-0.0, -0.225, -0.405, -0.45]),
            (.translateX, [0, 50, 90, 100], [-0.0, -50, -90, -100]),
            (.translateY, [0, 50, 90, 100], [-0.0, -50, -90, -100]),
            (.autoContrast, [0, 0, 0, 0], [0, 0, 0, 0]),
            (.equalize, [0, 0, 0, 0], [0, 0, 0, 0]),
            (.invert, [0, 0, 0, 0], [0, 0, 0, 0]),
        ]
        #expect(Set(expectations.map(\.0)) == Set(AugmentOperation.allCases))
        for (operation, plain, negated) in expectations {
            for (position, magnitude) in [0.0, 5, 9, 10].enumerated() {
                let positive = operation.argument(magnitude: magnitude, negated: false, hyperparameters: hyperparameters)
                let negative = operation.argument(magnitude: magnitude, negated: true, hyperparameters: hyperparameters)
                #expect(positive == plain[position], "\(operation) at m=\(magnitude)")
                #expect(negative == negated[position], "\(operation) negated at m=\(magnitude)")
            }
            #expect(operation.isSigned == (plain != negated), "\(operation)")
        }
    }

    @Test func fractionalMagnitudesTruncateAsTimmsIntDoes() {
        let defaults = AugmentHyperparameters.timmDefaults
        #expect(AugmentOperation.posterize.argument(magnitude: 7.49, negated: false, hyperparameters: defaults) == 2)
        #expect(AugmentOperation.posterize.argument(magnitude: 7.5, negated: false, hyperparameters: defaults) == 3)
        #expect(AugmentOperation.solarize.argument(magnitude: 12, negated: false, hyperparameters: defaults) == 256)
        #expect(AugmentOperation.solarizeAdd.argument(magnitude: 12, negated: false, hyperparameters: defaults) == 128)
        #expect(AugmentOperation.solarizeIncreasing.argument(magnitude: 0.03, negated: false, hyperparameters: defaults) == 256)
    }

    @Test func degenerateArgumentsBehaveAsPILDoes() {
        let image = ByteImage(width: 4, height: 3, channels: 3, pixels: (0..<36).map { UInt8($0 * 7) })
        #expect(image.posterized(bits: 0).pixels.allSatisfy { $0 == 0 })
        #expect(image.posterized(bits: -4).pixels.allSatisfy { $0 == 0 })
        #expect(image.posterized(bits: 8) == image)
        #expect(image.solarized(threshold: 0) == image.inverted())
        #expect(image.solarized(threshold: 256) == image)
        let flat = ByteImage(width: 3, height: 2, channels: 1, filledWith: 77)
        #expect(flat.autocontrasted() == flat && flat.equalized() == flat)
        let tiny = ByteImage(width: 2, height: 5, channels: 3, pixels: (0..<30).map { UInt8($0 * 8) })
        #expect(tiny.adjustingSharpness(1.9) == tiny, "an image under 3×3 is its own smoothed version")
        #expect(image.rotated(degrees: 360, interpolation: .bilinear, fill: .black) == image)
    }

    @Test func nearestFallsBackToFloatingPointBeyondTheFixedPointRange() {
        // Row 10 maps onto source row 10 exactly (x_in = x + 0.5); the matrix's corner at (0, 0) lies at x = -33001.5,
        // outside PIL's 16.16 range, so the floating-point walk runs; every other row lands far outside the image.
        let image = ByteImage(width: 4, height: 12, channels: 3, pixels: (0..<144).map { UInt8($0) })
        let matrix = AffineMatrix(a: 1, b: 3143, c: -33001.5, d: 0, e: 1, f: 0)
        let output = image.affineTransformed(matrix, interpolation: .nearest, fill: .middleGrey)
        for row in 0..<12 {
            for column in 0..<4 {
                let expected = row == 10 ? (0..<3).map { image[10, column, $0] } : [128, 128, 128]
                #expect((0..<3).map { output[row, column, $0] } == expected, "row \(row), column \(column)")
            }
        }
    }

    @Test func greyImagesAreFilledWithTheFillsLuma() {
        let grey = ByteImage(width: 6, height: 4, channels: 1, filledWith: 200)
        let shifted = AugmentOperation.translateX.apply(to: grey, argument: 3, interpolation: .nearest, fill: .imageNetMean)
        let luma = ByteImage.luma(red: 124, green: 116, blue: 104)
        for row in 0..<4 {
            #expect((0..<3).map { shifted[row, $0, 0] } == [200, 200, 200])
            #expect((3..<6).map { shifted[row, $0, 0] } == [luma, luma, luma])
        }
        #expect(FillColor(means: [0.485, 0.456, 0.406]) == .imageNetMean)
    }
}
