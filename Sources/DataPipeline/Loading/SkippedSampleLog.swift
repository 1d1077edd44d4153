import Foundation

/// The samples a loader skipped under `BadSamplePolicy.skip`, by index, with why: shared by its worker threads.
///
/// Each bad sample is recorded once however many epochs meet it, so a training
/// log can name every broken file and count them.
public final class SkippedSampleLog: @unchecked Sendable {
    /// One skipped sample.
    public struct Entry: Equatable, Sendable {
        public let sampleIndex: Int
        public let path: String
        public let reason: String
    }

    private let lock = NSLock()
    private var entries: [Int: Entry] = [:]

    public init() {}

    /// Records a skipped sample (once per index).
    func record(_ entry: Entry) {
        lock.withLock {
            if entries[entry.sampleIndex] == nil { entries[entry.sampleIndex] = entry }
        }
    }

    /// Every skipped sample so far, by sample index.
    public var skipped: [Entry] {
        lock.withLock { entries.values.sorted { $0.sampleIndex < $1.sampleIndex } }
    }
}
