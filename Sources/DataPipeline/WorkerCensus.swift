import Foundation

/// A thread-safe count of a loader's worker threads that are still running.
///
/// Shapes: one integer, raised when a worker is started and lowered as its last act.
/// Lets tests (and diagnostics) confirm that abandoning an epoch mid-way leaves no
/// threads behind.
final class WorkerCensus: @unchecked Sendable {
    private let lock = NSLock()
    private var running = 0

    /// Workers started and not yet finished.
    var count: Int {
        lock.withLock { running }
    }

    func workerStarted() {
        lock.withLock { running += 1 }
    }

    func workerFinished() {
        lock.withLock { running -= 1 }
    }
}
