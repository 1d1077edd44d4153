/// Anything that serves an epoch's batches from a given batch on: the in-memory loader and the image-file loader.
///
/// Shapes: `stream(epoch:startingAt:)` yields batches `k ..< batchesPerEpoch` of
/// the epoch. The trainer and the evaluator hold one of these, so they need not know
/// whether images come from memory (whose batches cannot fail) or from files
/// (whose batches throw `ImageLoadingError`).
public protocol EpochBatchSource: Sendable {
    /// Batches in one epoch.
    var batchesPerEpoch: Int { get }
    /// The batches of `epoch` from batch number `batch` on.
    func stream(epoch: Int, startingAt batch: Int) -> BatchStream
}

/// A pass over some batches whose next batch may fail, whatever loader made it.
///
/// Holds the loader's own iterator (and with it any worker threads, which stop
/// when the stream is released).
public struct BatchStream {
    private let advance: () throws -> FloatBatch?

    /// Wraps the iterator of a batch sequence.
    public init<Maker: BatchMaking>(_ sequence: BatchSequence<Maker>) {
        let box = IteratorBox(sequence.makeIterator())
        advance = { try box.iterator.nextBatch() }
    }

    /// The next batch, or nil after the last.
    public mutating func next() throws -> FloatBatch? {
        try advance()
    }
}

/// A reference holding a value-type iterator, so a closure can advance it.
private final class IteratorBox<Maker: BatchMaking> {
    var iterator: BatchSequence<Maker>.Iterator

    init(_ iterator: BatchSequence<Maker>.Iterator) {
        self.iterator = iterator
    }
}

extension BatchLoader: EpochBatchSource {
    public func stream(epoch: Int, startingAt batch: Int) -> BatchStream {
        BatchStream(batches(epoch: epoch, startingAt: batch))
    }
}

extension ImageLoader: EpochBatchSource {
    public func stream(epoch: Int, startingAt batch: Int) -> BatchStream {
        BatchStream(batches(epoch: epoch, startingAt: batch))
    }
}
