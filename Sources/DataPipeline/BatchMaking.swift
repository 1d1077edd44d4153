/// Prepares the batch of given sample positions for an epoch: what a loader's workers call, on any thread.
///
/// Shapes: `batch(indices:epoch:number:)` returns one `FloatBatch` of
/// `indices.count` images, NCHW floats. Implementations are immutable and
/// `Sendable` and depend only on their arguments, which is what makes batches
/// identical whatever worker prepares them and after a resume. `Failure` is
/// `Never` for in-memory sets (whose batches cannot fail), so their sequences stay
/// plain `Sequence`s; a loader that reads files names its own error.
public protocol BatchMaking: Sendable {
    /// What preparing a batch can fail with.
    associatedtype Failure: Error
    /// Prepares batch `number` of `epoch`, holding the samples at `indices`.
    func batch(indices: ArraySlice<Int>, epoch: Int, number: Int) throws(Failure) -> FloatBatch
}
