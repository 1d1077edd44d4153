import Foundation

/// Short, human-readable text for the numbers on axes and in legends.
///
/// A value is written with as many decimals as its `resolution` (a tick step, say)
/// needs: 0.2, 0.25, 1200. Very fine or very coarse resolutions switch to scientific
/// form without padding (5e-5, 1.5e-4, 2e6). Zero is always "0", never "-0".
///
/// `String(format: "%g")` would mix forms within one axis and print "1e-05"; axis
/// labels read better when every tick uses the same, shortest exact form.
enum NumberLabel {
    /// The value to the decimals `resolution` calls for, scientific when the resolution is below 1e-3 or from 1e6.
    static func text(for value: Double, resolution: Double) -> String {
        let resolution = abs(resolution)
        return text(for: value, resolution: resolution, scientific: resolution < 1e-3 || resolution >= 1e6)
    }

    /// A single value to `significantDigits` significant digits, trailing zeros dropped, as on a terminal axis.
    static func compact(_ value: Double, significantDigits: Int = 4) -> String {
        guard value.isFinite, value != 0 else { return text(for: value, resolution: 1, scientific: false) }
        let magnitude = abs(value)
        let resolution = pow(10, decimalExponent(of: magnitude) - Double(significantDigits - 1))
        let rounded = (value / resolution).rounded() * resolution
        let label = text(for: rounded, resolution: resolution, scientific: magnitude < 1e-3 || magnitude >= 1e6)
        if let exponentIndex = label.firstIndex(of: "e") {
            return withoutTrailingZeros(String(label[..<exponentIndex])) + label[exponentIndex...]
        }
        return withoutTrailingZeros(label)
    }

    private static func text(for value: Double, resolution: Double, scientific: Bool) -> String {
        guard value.isFinite else { return value.isNaN ? "nan" : (value > 0 ? "inf" : "-inf") }
        let resolution = resolution > 0 && resolution.isFinite ? resolution : max(abs(value), 1)
        if abs(value) < resolution * 1e-6 { return "0" }
        let resolutionExponent = Int(decimalExponent(of: resolution))
        if scientific {
            var exponent = Int(decimalExponent(of: abs(value)))
            let decimals = min(max(exponent - resolutionExponent, 0), 6)
            var mantissa = String(format: "%.\(decimals)f", value / pow(10, Double(exponent)))
            if abs(Double(mantissa) ?? 0) >= 10 {
                exponent += 1
                mantissa = String(format: "%.\(max(decimals - 1, 0))f", value / pow(10, Double(exponent)))
            }
            return withoutTrailingZeros(mantissa) + "e\(exponent)"
        }
        let decimals = min(max(-resolutionExponent, 0), 9)
        return String(format: "%.\(decimals)f", value)
    }

    /// ⌊log10(value)⌋, robust to the rounding of log10 at exact powers of ten.
    private static func decimalExponent(of value: Double) -> Double {
        (log10(value) + 1e-9).rounded(.down)
    }

    private static func withoutTrailingZeros(_ number: String) -> String {
        guard number.contains(".") else { return number }
        var result = number
        while result.hasSuffix("0") { result.removeLast() }
        if result.hasSuffix(".") { result.removeLast() }
        return result
    }
}
