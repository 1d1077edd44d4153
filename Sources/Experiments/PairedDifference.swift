/// The mean of paired differences (a cell minus the baseline, seed by seed) with a t confidence interval.
///
/// Pairing by seed removes what the two runs of one seed share (data order,
/// initialisation), so the interval is about the technique, not about seed luck. The
/// interval is mean ± t(1 − α/2, n − 1) · s / √n with s the sample standard deviation of
/// the differences; it needs two pairs.
public struct PairedDifference: Sendable, Equatable {
    /// One difference per seed both sides finished, in seed order.
    public let differences: [Double]

    /// The differences `value − baseline` over the seeds present in both, in `seeds` order.
    public init(values: [UInt64: Double], baseline: [UInt64: Double], seeds: [UInt64]) {
        differences = seeds.compactMap { seed in
            guard let value = values[seed], let base = baseline[seed] else { return nil }
            return value - base
        }
    }

    public init(differences: [Double]) {
        self.differences = differences
    }

    /// How many pairs there are.
    public var count: Int { differences.count }

    /// The mean difference; nil without pairs.
    public var mean: Double? { SampleStatistics.mean(differences) }

    /// The two-sided interval at `confidence` (0.95 for 95%); nil for fewer than two pairs.
    public func interval(confidence: Double = 0.95) -> ClosedRange<Double>? {
        guard let mean, let deviation = SampleStatistics.standardDeviation(differences) else { return nil }
        let t = StudentT.quantile(1 - (1 - confidence) / 2, degreesOfFreedom: Double(count - 1))
        let halfWidth = t * deviation / Double(count).squareRoot()
        return (mean - halfWidth)...(mean + halfWidth)
    }
}
