import Foundation

/// Time spent in each kind of oneDNN primitive while profiling was on: calls and seconds per kind.
///
/// Shapes: one entry per primitive name ("convolution forward", "batch norm backward",
/// "reorder", ...), sorted by time, most first. Why per kind rather than per call:
/// a training step runs hundreds of primitives; what a reader needs is where the
/// step's time goes, and how much of it is outside oneDNN (the step's time minus
/// `totalSeconds`).
public struct KernelProfile: Sendable {
    public struct Entry: Sendable, Equatable {
        public var name: String
        public var calls: Int
        public var seconds: Double
    }

    public var entries: [Entry]

    /// Seconds inside oneDNN primitives, all kinds together.
    public var totalSeconds: Double { entries.reduce(0) { $0 + $1.seconds } }
}

/// Collects primitive timings for a `KernelProfile`; thread-safe, and free when off.
final class KernelProfiler: @unchecked Sendable {
    private let lock = NSLock()
    private var totals: [String: (calls: Int, seconds: Double)] = [:]
    /// Read without the lock on every primitive run; a stale read only misses or adds one timing.
    private(set) var isRecording = false

    func start() {
        lock.lock()
        totals = [:]
        isRecording = true
        lock.unlock()
    }

    func finish() -> KernelProfile {
        lock.lock()
        defer { lock.unlock() }
        isRecording = false
        let entries = totals.map { KernelProfile.Entry(name: $0.key, calls: $0.value.calls, seconds: $0.value.seconds) }
        return KernelProfile(entries: entries.sorted { $0.seconds > $1.seconds })
    }

    func record(_ name: String, seconds: Double) {
        lock.lock()
        let previous = totals[name] ?? (0, 0)
        totals[name] = (previous.calls + 1, previous.seconds + seconds)
        lock.unlock()
    }
}
