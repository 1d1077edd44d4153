import Foundation

/// The mapping of one axis from data values to the unit interval, with "nice" tick values.
///
/// A linear axis spans whole multiples of a tick step of 1, 2 or 5 times a power of ten,
/// chosen so that about `targetTickCount` ticks cover the data (Heckbert's "nice
/// numbers"); a logarithmic axis spans whole decades, with ticks at the powers of ten
/// (and at 2 and 5 times them when the data fit in one decade).
///
/// Round tick values make a plot readable at a glance, and the same scale drives the
/// SVG plots so that their ticks and their data agree to the pixel.
struct AxisScale: Sendable, Equatable {
    /// The value at fraction 0.
    let lower: Double
    /// The value at fraction 1.
    let upper: Double
    /// The tick values, ascending, from `lower` to `upper`.
    let ticks: [Double]
    /// The distance between linear ticks; nil on a logarithmic axis.
    let step: Double?

    var isLogarithmic: Bool { step == nil }

    /// A linear axis over the finite `values`; an empty or constant set gets a small range around it.
    static func linear(covering values: [Double], targetTickCount: Int = 5) -> AxisScale {
        let finite = values.filter(\.isFinite)
        var low = finite.min() ?? 0
        var high = finite.max() ?? 1
        if low == high {
            let margin = low == 0 ? 1 : abs(low) / 10
            low -= margin
            high += margin
        }
        let step = niceNumber((high - low) / Double(max(targetTickCount - 1, 1)))
        let first = Int((low / step + 1e-9).rounded(.down))
        let last = Int((high / step - 1e-9).rounded(.up))
        let ticks = (first...last).map { index in index == 0 ? 0 : Double(index) * step }
        return AxisScale(lower: ticks[0], upper: ticks[ticks.count - 1], ticks: ticks, step: step)
    }

    /// A logarithmic axis over the finite, positive `values`; others are ignored.
    static func logarithmic(covering values: [Double]) -> AxisScale {
        let positive = values.filter { $0.isFinite && $0 > 0 }
        var lowDecade = Int(log10(positive.min() ?? 1).rounded(.down))
        var highDecade = Int(log10(positive.max() ?? 10).rounded(.up))
        if lowDecade == highDecade {
            lowDecade -= 1
            highDecade += 1
        }
        var ticks: [Double] = []
        for decade in lowDecade...highDecade {
            let power = pow(10, Double(decade))
            ticks.append(power)
            if highDecade - lowDecade <= 2 && decade < highDecade {
                ticks.append(2 * power)
                ticks.append(5 * power)
            }
        }
        return AxisScale(lower: pow(10, Double(lowDecade)), upper: pow(10, Double(highDecade)), ticks: ticks, step: nil)
    }

    /// Where `value` lies between `lower` (0) and `upper` (1).
    func fraction(of value: Double) -> Double {
        if isLogarithmic {
            return (log10(value) - log10(lower)) / (log10(upper) - log10(lower))
        }
        return (value - lower) / (upper - lower)
    }

    /// Whether `value` can be drawn on this axis: finite, and positive on a logarithmic one.
    func canShow(_ value: Double) -> Bool {
        value.isFinite && (!isLogarithmic || value > 0)
    }

    /// The tick's text, with just enough digits to tell neighbouring ticks apart.
    func label(forTick value: Double) -> String {
        if let step {
            return NumberLabel.text(for: value, resolution: step)
        }
        return NumberLabel.text(for: value, resolution: value)
    }

    /// The nearest of 1, 2, 5 and 10 times a power of ten to the positive `value`.
    static func niceNumber(_ value: Double) -> Double {
        let exponent = log10(value).rounded(.down)
        let power = pow(10, exponent)
        let fraction = value / power
        let nice: Double = fraction < 1.5 ? 1 : fraction < 3 ? 2 : fraction < 7 ? 5 : 10
        return nice * power
    }
}
