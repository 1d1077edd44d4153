/// The class labels of every sample in a data set: one per sample, or several for multi-label data.
///
/// Layout: `values` holds the labels of all samples back to back; for a
/// single-label set, sample `i`'s label is `values[i]` and `ends` is `nil`; for
/// a multi-label set, sample `i`'s labels are `values[ends[i - 1]..<ends[i]]`
/// (from 0 for the first). Two flat arrays rather than an array of arrays, so an
/// ImageNet-sized index holds no per-sample allocation.
public struct SampleTargets: Equatable, Sendable {
    /// All labels, sample after sample.
    public let values: [Int32]
    /// One past the last label of each sample in `values`; `nil` when every sample has exactly one label.
    public let ends: [Int]?

    /// One label per sample.
    public init(singleLabels labels: [Int32]) {
        values = labels
        ends = nil
    }

    /// Several labels per sample, already flattened.
    ///
    /// - Precondition: `ends` never decreases and its last element is `values.count`.
    public init(multiLabelValues values: [Int32], ends: [Int]) {
        precondition(zip(ends, ends.dropFirst()).allSatisfy { $0 <= $1 }, "label ends must never decrease")
        precondition((ends.last ?? 0) == values.count, "the last label end must be \(values.count), got \(ends.last ?? 0)")
        precondition(ends.first.map { $0 >= 0 } ?? true, "label ends must not be negative")
        self.values = values
        self.ends = ends
    }

    /// Several labels per sample, given as one list each.
    public init(multiLabels labelsPerSample: [[Int32]]) {
        var values: [Int32] = []
        var ends: [Int] = []
        ends.reserveCapacity(labelsPerSample.count)
        for labels in labelsPerSample {
            values.append(contentsOf: labels)
            ends.append(values.count)
        }
        self.init(multiLabelValues: values, ends: ends)
    }

    /// Whether samples carry lists of labels rather than exactly one.
    public var isMultiLabel: Bool { ends != nil }

    /// Number of samples.
    public var count: Int { ends?.count ?? values.count }

    /// The labels of sample `index`: exactly one for a single-label set.
    public func labels(at index: Int) -> ArraySlice<Int32> {
        precondition(index >= 0 && index < count, "sample index \(index) is outside 0..<\(count)")
        guard let ends else { return values[index...index] }
        let start = index == 0 ? 0 : ends[index - 1]
        return values[start..<ends[index]]
    }
}
