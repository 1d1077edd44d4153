@testable import Plotting
import Testing

struct AxisScaleTests {
    @Test func niceNumbersAreOneTwoOrFiveTimesAPowerOfTen() {
        #expect(AxisScale.niceNumber(0.23) == 0.2)
        #expect(AxisScale.niceNumber(0.4) == 0.5)
        #expect(AxisScale.niceNumber(13) == 10)
        #expect(AxisScale.niceNumber(8) == 10)
        #expect(AxisScale.niceNumber(0.000031) == 0.00005)
    }

    @Test func linearAxisCoversTheDataWithWholeSteps() {
        let scale = AxisScale.linear(covering: [0.0123, 0.0987])
        #expect(scale.step == 0.02)
        #expect(scale.lower == 0)
        #expect(abs(scale.upper - 0.1) < 1e-15)
        #expect(scale.ticks.map(scale.label(forTick:)) == ["0", "0.02", "0.04", "0.06", "0.08", "0.10"])
    }

    @Test func constantDataGetARangeAroundThem() {
        let scale = AxisScale.linear(covering: [0.1, 0.1])
        #expect(scale.lower < 0.1 && scale.upper > 0.1)
        let zero = AxisScale.linear(covering: [0])
        #expect(zero.lower < 0 && zero.upper > 0)
    }

    @Test func labelsUseOneFormPerAxis() {
        #expect(NumberLabel.text(for: 0.00015, resolution: 0.00005) == "1.5e-4")
        #expect(NumberLabel.text(for: 0.0001, resolution: 0.00005) == "1e-4")
        #expect(NumberLabel.text(for: 1200, resolution: 200) == "1200")
        #expect(NumberLabel.text(for: 3_000_000, resolution: 1_000_000) == "3e6")
        #expect(NumberLabel.text(for: -1e-17, resolution: 0.1) == "0")
    }

    @Test func compactLabelsKeepSignificantDigits() {
        #expect(NumberLabel.compact(0.1) == "0.1")
        #expect(NumberLabel.compact(0.123456) == "0.1235")
        #expect(NumberLabel.compact(0.00004) == "4e-5")
        #expect(NumberLabel.compact(93_750) == "93750")
        #expect(NumberLabel.compact(1_234_567) == "1.235e6")
        #expect(NumberLabel.compact(0) == "0")
        #expect(NumberLabel.compact(-2.5) == "-2.5")
    }
}
