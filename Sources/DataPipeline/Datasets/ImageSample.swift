/// One sample of a data set: where its bytes are and which classes it belongs to.
///
/// Made on demand by `SampleIndex.sample(at:)` rather than stored: the index
/// keeps flat arrays, and a sample is a short-lived view of one row of them.
public struct ImageSample: Equatable, Sendable {
    /// Where the sample's bytes are.
    public let location: SampleLocation
    /// Its class ids: exactly one for single-label data, one or more for multi-label data.
    public let labels: ArraySlice<Int32>

    /// Wraps a location and its labels.
    public init(location: SampleLocation, labels: ArraySlice<Int32>) {
        self.location = location
        self.labels = labels
    }

    /// The sample's first (for single-label data, its only) class id.
    public var label: Int32 {
        precondition(!labels.isEmpty, "a sample without labels has no first label")
        return labels[labels.startIndex]
    }
}
