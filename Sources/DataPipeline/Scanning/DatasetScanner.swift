import Foundation

/// Checks every sample of a data set on a fixed number of threads and reports each one, in sample order, with totals.
///
/// Each sample is read, sniffed, probed and fully decoded (see
/// `SampleInspector`), so unreadable, truncated and corrupt files are caught
/// as well as CMYK, misnamed, tiny, rotated, grey, transparent and 16-bit ones.
/// The threads share nothing but the index and a chunk queue; each owns its
/// decoder. Records reach the caller in sample order whatever the thread count,
/// so the output is the same with 1 thread or 16, and only a bounded window of
/// records (never an image) waits in memory. No input file makes it crash or
/// hang: a bad file is one error record.
public struct DatasetScanner: Sendable {
    /// Threads that decode.
    public let threads: Int
    /// Images with a stored width or height below this many pixels are flagged `tiny`.
    public let tinySideBelow: Int
    /// How many records of each problem kind the summary keeps as examples.
    public let examplesPerKind: Int

    /// The default `tinySideBelow`: 32 pixels, below which a training crop is mostly upsampling.
    public static let defaultTinySideBelow = 32

    /// A scanner with its thread count, tiny threshold and examples kept per kind.
    ///
    /// - Precondition: `threads > 0`, `tinySideBelow >= 0`, `examplesPerKind >= 0`.
    public init(threads: Int, tinySideBelow: Int = defaultTinySideBelow, examplesPerKind: Int = 20) {
        precondition(threads > 0, "a scan needs at least one thread, got \(threads)")
        precondition(tinySideBelow >= 0, "the tiny threshold must not be negative, got \(tinySideBelow)")
        precondition(examplesPerKind >= 0, "examples per kind must not be negative, got \(examplesPerKind)")
        self.threads = threads
        self.tinySideBelow = tinySideBelow
        self.examplesPerKind = examplesPerKind
    }

    /// Scans every sample of `index`, handing each record to `report` on the calling thread in sample order.
    ///
    /// - Returns: the totals, with the elapsed time.
    /// - Precondition: the index stores files or tar members, not in-memory images.
    public func scan(_ index: SampleIndex, report: (ImageScanRecord) -> Void) -> DatasetScanSummary {
        if case .memory = index.storage {
            preconditionFailure("an in-memory index holds decoded images: there are no files to scan")
        }
        let clock = ContinuousClock()
        let start = clock.now
        var summary = DatasetScanSummary(
            classNames: index.classNames, classCounts: index.countsPerClass(), threads: threads,
            examplesPerKind: examplesPerKind
        )
        let queue = ScanChunkQueue(
            sampleCount: index.count, chunkSize: Self.chunkSize(sampleCount: index.count, threads: threads),
            window: 4 * threads
        )
        for _ in 0..<min(threads, queue.chunkCount) {
            queue.threadStarted()
            let thread = Thread { [tinySideBelow] in
                let inspector = SampleInspector(tinySideBelow: tinySideBelow)
                while let chunk = queue.claim() {
                    queue.publish(queue.samples(of: chunk).map { inspector.inspect(sampleAt: $0, of: index) }, of: chunk)
                }
                queue.threadExited()
            }
            thread.name = "hone.dataset-scanner"
            thread.start()
        }
        while let records = queue.take() {
            for record in records {
                summary.add(record)
                report(record)
            }
        }
        queue.waitForThreads()
        let elapsed = start.duration(to: clock.now)
        summary.elapsedSeconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        return summary
    }

    /// Scans every sample of `index` and returns all records with the totals: for tests and small data sets.
    public func scanAll(_ index: SampleIndex) -> (records: [ImageScanRecord], summary: DatasetScanSummary) {
        var records: [ImageScanRecord] = []
        records.reserveCapacity(index.count)
        let summary = scan(index) { records.append($0) }
        return (records, summary)
    }

    /// Samples per chunk: small enough that every thread gets about 16 chunks (even work near the end), at most 64.
    static func chunkSize(sampleCount: Int, threads: Int) -> Int {
        max(1, min(64, sampleCount / (16 * threads)))
    }
}
