/// The worst element of a comparison that failed a `Tolerance`, and how many others failed.
///
/// `index` is the row-major position in the compared arrays, or −1 when their lengths
/// differ (then `actual` and `expected` hold the two lengths). Its `description` is the
/// message a failing test prints, so it names everything needed to find the bug.
public struct ToleranceViolation: Hashable, Sendable, CustomStringConvertible {
    public var index: Int
    public var actual: Double
    public var expected: Double
    public var failingCount: Int
    public var totalCount: Int
    public var tolerance: Tolerance

    public init(index: Int, actual: Double, expected: Double, failingCount: Int, totalCount: Int,
                tolerance: Tolerance) {
        self.index = index
        self.actual = actual
        self.expected = expected
        self.failingCount = failingCount
        self.totalCount = totalCount
        self.tolerance = tolerance
    }

    /// `|actual − expected|`.
    public var difference: Double { abs(actual - expected) }

    public var description: String {
        if index < 0 {
            return "length mismatch: actual has \(Int(actual)) elements, expected \(Int(expected))"
        }
        return "\(failingCount) of \(totalCount) elements outside \(tolerance); worst at index \(index): "
            + "actual \(actual), expected \(expected), difference \(difference)"
    }
}
