/// The totals of a data-set scan: files, failures by category, flags, class counts, a few example files per kind, and the speed.
///
/// Shapes: `errorCounts` and `flagCounts` hold every category and flag (zero
/// when none was seen); `classCounts[i]` is the number of samples of class
/// `classNames[i]`; `examples[kind]` holds the first `examplesPerKind` records of
/// that kind in sample order, while `count(of:)` counts them all. It is built one
/// record at a time as the scan delivers them, so it never holds more than the
/// capped examples, whatever the size of the data set.
public struct DatasetScanSummary: Equatable, Sendable {
    /// Samples scanned.
    public private(set) var fileCount = 0
    /// Samples that decoded.
    public private(set) var okCount = 0
    /// Failed samples per category (unreadable files are `unreadableFile`).
    public private(set) var errorCounts: [ImageDecodingError.Category: Int]
    /// Samples per flag.
    public private(set) var flagCounts: [ImageScanFlag: Int]
    /// The first `examplesPerKind` records of each problem kind, in sample order.
    public private(set) var examples: [ScanProblemKind: [ImageScanRecord]] = [:]
    /// How many records of each kind `examples` keeps.
    public let examplesPerKind: Int
    /// The index's class names, by class id.
    public let classNames: [String]
    /// Samples per class, by class id (a multi-label sample counts once per label).
    public let classCounts: [Int]
    /// Threads that decoded.
    public let threads: Int
    /// Wall-clock seconds the scan took, set when it ends.
    public internal(set) var elapsedSeconds: Double = 0

    /// An empty summary for a scan of a data set with these classes.
    public init(classNames: [String], classCounts: [Int], threads: Int, examplesPerKind: Int) {
        self.classNames = classNames
        self.classCounts = classCounts
        self.threads = threads
        self.examplesPerKind = examplesPerKind
        errorCounts = Dictionary(uniqueKeysWithValues: ImageDecodingError.Category.allCases.map { ($0, 0) })
        flagCounts = Dictionary(uniqueKeysWithValues: ImageScanFlag.allCases.map { ($0, 0) })
    }

    /// Samples that failed.
    public var errorCount: Int {
        fileCount - okCount
    }

    /// Samples scanned per second of wall-clock time; 0 before the scan has taken any measurable time.
    public var filesPerSecond: Double {
        elapsedSeconds > 0 ? Double(fileCount) / elapsedSeconds : 0
    }

    /// How many samples are of `kind`.
    public func count(of kind: ScanProblemKind) -> Int {
        switch kind {
        case let .error(category): return errorCounts[category, default: 0]
        case let .flag(flag): return flagCounts[flag, default: 0]
        }
    }

    /// Counts one record, keeping it as an example of each of its kinds while that kind has room.
    public mutating func add(_ record: ImageScanRecord) {
        fileCount += 1
        if let category = record.errorCategory {
            errorCounts[category, default: 0] += 1
        } else {
            okCount += 1
        }
        for flag in record.flags {
            flagCounts[flag, default: 0] += 1
        }
        for kind in ScanProblemKind.kinds(of: record) where examples[kind, default: []].count < examplesPerKind {
            examples[kind, default: []].append(record)
        }
    }
}
