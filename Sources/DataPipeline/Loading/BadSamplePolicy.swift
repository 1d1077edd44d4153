/// What a loader does with a sample it cannot read or decode.
///
/// `fail` stops at the first bad sample with its name and the reader's or
/// decoder's reason. `skip` substitutes the next sample of the data set (so the
/// batch keeps its size and stays a function of seed and epoch), records the bad
/// one by name, and still stops once `maximumConsecutive` samples in a row have
/// failed: a folder of nothing but broken files is a configuration error, not
/// something to train through.
public enum BadSamplePolicy: Sendable, Equatable {
    /// Stop with the file's name and the reason.
    case fail
    /// Substitute and record bad samples; stop after this many consecutive failures.
    case skip(maximumConsecutive: Int)
}
