@testable import DataPipeline
import Testing

/// Colour adjustments against PIL 9.4 through torchvision 0.14 (tolerance 0: byte for byte), and the jitter's draws.
struct ColorJitterTests {
    @Test func brightnessContrastAndSaturationMatchPIL() throws {
        let fixture = try TransformFixture.load()
        let operations: [(String, (ByteImage, Double) -> ByteImage)] = [
            ("brightness", { $0.adjustingBrightness($1) }),
            ("contrast", { $0.adjustingContrast($1) }),
            ("saturation", { $0.adjustingSaturation($1) }),
        ]
        for (op, adjust) in operations {
            let cases = fixture.cases(op)
            #expect(cases.count == 4, "\(op)")
            for testCase in cases {
                let source = try fixture.source(of: testCase)
                let adjusted = adjust(source, try testCase.number("factor"))
                let difference = ImageDifference(adjusted, try fixture.expected(testCase))
                #expect(difference.isExact, "\(testCase.name): \(difference)")
                if source.channels == 3 || op != "saturation" { #expect(adjusted != source, "\(testCase.name)") }
            }
        }
    }

    @Test func hueShiftMatchesTorchvisionThroughPILsHSV() throws {
        let fixture = try TransformFixture.load()
        let cases = fixture.cases("hue")
        #expect(cases.count == 8)
        for testCase in cases {
            let shifted = try fixture.source(of: testCase).shiftingHue(try testCase.number("factor"))
            let difference = ImageDifference(shifted, try fixture.expected(testCase))
            #expect(difference.isExact, "\(testCase.name): \(difference)")
        }
    }

    @Test func hsvRoundTripIsLossyAsInPILEvenWithoutAShift() {
        var changed = 0
        for red in stride(from: 0, through: 255, by: 5) {
            for green in stride(from: 0, through: 255, by: 5) {
                for blue in stride(from: 3, through: 255, by: 7) {
                    let (hue, saturation, value) = ByteImage.hsv(red: UInt8(red), green: UInt8(green), blue: UInt8(blue))
                    let back = ByteImage.rgb(hue: hue, saturation: saturation, value: value)
                    #expect(value == UInt8(max(red, green, blue)))
                    if back != (UInt8(red), UInt8(green), UInt8(blue)) { changed += 1 }
                }
            }
        }
        #expect(changed > 1000)
        let pixel = ByteImage(width: 1, height: 1, channels: 3, pixels: [200, 40, 90])
        #expect(pixel.shiftingHue(0.001) != pixel)
    }

    @Test func fixedDrawsAppliedInOrderMatchTorchvisionsForward() throws {
        let fixture = try TransformFixture.load()
        let cases = fixture.cases("jitter")
        #expect(cases.count == 2)
        let jitter = ColorJitter(brightness: 0.4, contrast: 0.4, saturation: 0.4, hue: 0.4)
        for testCase in cases {
            let order = try testCase.numbers("order").compactMap { ColorJitter.Adjustment(rawValue: Int($0)) }
            let draw = ColorJitter.Draw(order: order, brightness: try testCase.number("brightness"),
                                        contrast: try testCase.number("contrast"),
                                        saturation: try testCase.number("saturation"), hue: try testCase.number("hue"))
            let source = try fixture.source(of: testCase)
            let difference = ImageDifference(jitter.apply(to: source, draw: draw), try fixture.expected(testCase))
            #expect(difference.isExact, "\(testCase.name): \(difference)")
            var reordered = draw
            reordered.order.reverse()
            #expect(jitter.apply(to: source, draw: reordered) != jitter.apply(to: source, draw: draw))
        }
    }

    @Test func factorsStayInTorchvisionsRangesAndOrdersAreUniformPermutations() {
        let jitter = ColorJitter(brightness: 0.4, contrast: 1.5, saturation: 0.2, hue: 0.1)
        #expect(jitter.brightness == 0.6...1.4 && jitter.contrast == 0...2.5 && jitter.saturation == 0.8...1.2)
        #expect(jitter.hue == -0.1...0.1)
        var orders: [[ColorJitter.Adjustment]: Int] = [:]
        var brightnessSum = 0.0
        var lowestHue = 1.0
        var highestHue = -1.0
        let draws = 6000
        for index in 0..<draws {
            let draw = jitter.draw(seed: 9, epoch: 1, index: index)
            #expect(draw.order.sorted { $0.rawValue < $1.rawValue } == ColorJitter.Adjustment.allCases)
            orders[draw.order, default: 0] += 1
            let brightness = draw.brightness ?? -1
            let contrast = draw.contrast ?? -1
            let saturation = draw.saturation ?? -1
            let hue = draw.hue ?? 1
            #expect(brightness >= 0.6 && brightness < 1.4)
            #expect(contrast >= 0 && contrast < 2.5)
            #expect(saturation >= 0.8 && saturation < 1.2)
            #expect(hue >= -0.1 && hue < 0.1)
            brightnessSum += brightness
            lowestHue = min(lowestHue, hue)
            highestHue = max(highestHue, hue)
        }
        // 24 orders of 250 expected each; a binomial count's deviation is about 15.
        #expect(orders.count == 24)
        #expect(orders.values.allSatisfy { $0 > 180 && $0 < 320 }, "\(orders.values.sorted())")
        #expect(abs(brightnessSum / Double(draws) - 1) < 0.01)
        #expect(lowestHue < -0.099 && highestHue > 0.099)
    }

    @Test func disabledAdjustmentsDrawNoFactorAndMoveNoOtherFactor() {
        let brightnessOnly = ColorJitter(brightness: 0.3)
        let all = ColorJitter(brightness: 0.3, contrast: 0.3, saturation: 0.3, hue: 0.2)
        for index in 0..<50 {
            let partial = brightnessOnly.draw(seed: 4, epoch: 0, index: index)
            let full = all.draw(seed: 4, epoch: 0, index: index)
            #expect(partial.contrast == nil && partial.saturation == nil && partial.hue == nil)
            #expect(partial.brightness == full.brightness && partial.order == full.order)
        }
        let image = ByteImage(width: 2, height: 1, channels: 3, pixels: [10, 200, 30, 90, 90, 250])
        #expect(ColorJitter().apply(to: image, seed: 1, epoch: 0, index: 0) == image)
    }

    @Test func drawsDependOnlyOnSeedEpochAndIndex() {
        let jitter = ColorJitter(brightness: 0.4, contrast: 0.4, saturation: 0.4, hue: 0.1)
        let forward = (0..<100).map { jitter.draw(seed: 3, epoch: 2, index: $0) }
        let backward = (0..<100).reversed().map { jitter.draw(seed: 3, epoch: 2, index: $0) }.reversed()
        #expect(forward == Array(backward))
        #expect(forward != (0..<100).map { jitter.draw(seed: 3, epoch: 3, index: $0) })
        #expect(forward != (0..<100).map { jitter.draw(seed: 4, epoch: 2, index: $0) })
    }
}
