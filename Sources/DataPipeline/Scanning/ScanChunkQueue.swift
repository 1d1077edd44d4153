import Foundation

/// Hands chunks of consecutive samples to scanning threads and their records back to the caller strictly in order.
///
/// Shapes: chunk `c` covers samples `c × chunkSize ..< min((c + 1) × chunkSize, sampleCount)`.
/// Threads claim chunks in increasing order and may finish out of order; `take()`
/// waits for the lowest chunk not yet taken, so the caller sees records in sample
/// order whatever the thread count. A thread may claim a chunk only while it is
/// fewer than `window` chunks ahead of the caller, so the records waiting in
/// memory stay bounded however slowly the caller consumes them.
final class ScanChunkQueue: @unchecked Sendable {
    /// Guards every field below; waited on for a chunk to claim, a chunk to take, or threads to exit.
    private let condition = NSCondition()
    /// Samples in the whole scan.
    let sampleCount: Int
    /// Samples per chunk.
    let chunkSize: Int
    /// Chunks in the whole scan.
    let chunkCount: Int
    /// How many chunks ahead of the caller threads may run.
    private let window: Int
    private var nextToClaim = 0
    private var nextToTake = 0
    private var finished: [Int: [ImageScanRecord]] = [:]
    private var runningThreads = 0

    /// A queue over `sampleCount` samples in chunks of `chunkSize`, letting threads run `window` chunks ahead.
    init(sampleCount: Int, chunkSize: Int, window: Int) {
        precondition(chunkSize > 0 && window > 0, "chunk size and window must be positive")
        self.sampleCount = sampleCount
        self.chunkSize = chunkSize
        self.window = window
        chunkCount = (sampleCount + chunkSize - 1) / chunkSize
    }

    /// The samples of chunk `chunk`.
    func samples(of chunk: Int) -> Range<Int> {
        (chunk * chunkSize)..<min((chunk + 1) * chunkSize, sampleCount)
    }

    /// Counts a scanning thread as running; call before starting it.
    func threadStarted() {
        condition.withLock { runningThreads += 1 }
    }

    /// Counts a scanning thread as gone; its last act.
    func threadExited() {
        condition.lock()
        runningThreads -= 1
        condition.broadcast()
        condition.unlock()
    }

    /// The next chunk to scan, waiting while the caller lags `window` chunks behind; nil when every chunk is claimed.
    func claim() -> Int? {
        condition.lock()
        defer { condition.unlock() }
        while nextToClaim < chunkCount && nextToClaim >= nextToTake + window {
            condition.wait()
        }
        guard nextToClaim < chunkCount else { return nil }
        nextToClaim += 1
        return nextToClaim - 1
    }

    /// Hands over the records of a scanned chunk.
    func publish(_ records: [ImageScanRecord], of chunk: Int) {
        condition.lock()
        finished[chunk] = records
        condition.broadcast()
        condition.unlock()
    }

    /// The records of the next chunk in order, waiting for it to be scanned; nil after the last chunk.
    func take() -> [ImageScanRecord]? {
        condition.lock()
        defer { condition.unlock() }
        guard nextToTake < chunkCount else { return nil }
        while finished[nextToTake] == nil {
            condition.wait()
        }
        let records = finished.removeValue(forKey: nextToTake)
        nextToTake += 1
        condition.broadcast()
        return records
    }

    /// Waits until every scanning thread has exited.
    func waitForThreads() {
        condition.lock()
        while runningThreads > 0 {
            condition.wait()
        }
        condition.unlock()
    }
}
