/// How far a computed value may stray from its reference: `|actual − expected| ≤ absolute + relative·|expected|`.
///
/// The same rule as NumPy's `isclose` and PyTorch's `assert_close`: the absolute part
/// covers expected values near zero, the relative part everything else. Exactly equal
/// values (infinities included) always pass; NaN never passes unless both sides are NaN.
///
/// Stated per test rather than globally, because a float32 oneDNN convolution, a bf16
/// one and a Float64 identity deserve very different bounds.
public struct Tolerance: Hashable, Sendable, CustomStringConvertible {
    public var relative: Double
    public var absolute: Double

    public init(relative: Double = 0, absolute: Double = 0) {
        precondition(relative >= 0 && absolute >= 0, "negative tolerance")
        self.relative = relative
        self.absolute = absolute
    }

    /// For a float32 kernel against the Float64 reference on order-one data.
    public static let float32 = Tolerance(relative: 1e-5, absolute: 1e-6)

    /// For a bfloat16 kernel (8 significant bits) against the Float64 reference.
    public static let bfloat16 = Tolerance(relative: 2e-2, absolute: 1e-2)

    /// For one Float64 computation against another, such as the reference against PyTorch.
    public static let float64 = Tolerance(relative: 1e-10, absolute: 1e-10)

    /// For an analytic Float64 gradient against central finite differences with the default step.
    public static let finiteDifferences = Tolerance(relative: 1e-6, absolute: 1e-7)

    /// Whether `actual` is close enough to `expected`.
    public func accepts(_ actual: Double, expected: Double) -> Bool {
        if actual == expected || (actual.isNaN && expected.isNaN) { return true }
        return abs(actual - expected) <= absolute + relative * abs(expected)
    }

    /// How far past the bound `actual` is: `|actual − expected| / (absolute + relative·|expected|)`.
    ///
    /// At most 1 passes. Used to rank the failing elements of a comparison: infinite for a
    /// NaN or infinity that does not match, and for any difference under a zero tolerance.
    public func excess(_ actual: Double, expected: Double) -> Double {
        if actual == expected || (actual.isNaN && expected.isNaN) { return 0 }
        let ratio = abs(actual - expected) / (absolute + relative * abs(expected))
        return ratio.isNaN ? .infinity : ratio
    }

    /// The element that strays furthest past this tolerance, or nil when every element passes.
    ///
    /// Shapes: `actual` and `expected` the same length (a length mismatch is reported as a
    /// violation at index −1). One `ToleranceViolation` names the place to look, instead of
    /// thousands of failures for one wrong stride.
    public func worstViolation(actual: [Double], expected: [Double]) -> ToleranceViolation? {
        guard actual.count == expected.count else {
            return ToleranceViolation(index: -1, actual: Double(actual.count), expected: Double(expected.count),
                                      failingCount: max(actual.count, expected.count), totalCount: expected.count,
                                      tolerance: self)
        }
        var worstIndex = -1
        var worstExcess = 0.0
        var failingCount = 0
        for index in expected.indices where !accepts(actual[index], expected: expected[index]) {
            failingCount += 1
            let excess = excess(actual[index], expected: expected[index])
            if worstIndex < 0 || excess > worstExcess {
                worstIndex = index
                worstExcess = excess
            }
        }
        guard worstIndex >= 0 else { return nil }
        return ToleranceViolation(index: worstIndex, actual: actual[worstIndex], expected: expected[worstIndex],
                                  failingCount: failingCount, totalCount: expected.count, tolerance: self)
    }

    public var description: String {
        "Tolerance(relative: \(relative), absolute: \(absolute))"
    }
}
