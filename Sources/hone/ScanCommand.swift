import ArgumentParser
import DataPipeline
import Foundation

/// `hone scan DATA`: decodes every image of a data set in parallel and reports the bad and the odd files and the class counts.
///
/// DATA is an ImageFolder root, a list file (`.csv`, `.txt`, `.lst`) or one or
/// more WebDataset shards (`.tar`), indexed exactly as training indexes them, so
/// the scan checks the files a run would read. Text output groups the problem
/// files by kind, a few per kind; `--json` prints one object per file, in sample
/// order, then a summary object. The exit status tells scripts the outcome:
/// 0 every file decodes, 1 some file does not (flags alone are not errors),
/// 2 the data set could not be indexed at all.
struct ScanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scan",
        abstract: "Decode every image of a data set in parallel; report unreadable, truncated, corrupt, CMYK, "
            + "wrong-extension, tiny and EXIF-rotated files, and the class counts.",
        discussion: """
            DATA is an ImageFolder root (one sub-folder per class), a list file ending in .csv, .txt or .lst \
            (paths relative to --root, by default the list file's folder), or one or more WebDataset shards ending in .tar.
            Exit status: 0 when every file decodes, 1 when some file does not (flags alone are not errors), \
            2 when DATA cannot be indexed (missing path, empty class folder, a list naming missing files, a bad shard).
            """
    )

    @Argument(help: "An ImageFolder root, a list file (.csv, .txt, .lst), or WebDataset shards (.tar).") var data: [String]
    @Option(help: "Folder the list file's relative paths start from (default: the list file's folder).") var root: String?
    @Option(help: "Class-map file (one name per line, or `name id` lines): fixes class ids and names.") var classMap: String?
    @Flag(help: "List-file lines carry several labels.") var multiLabel = false
    @Flag(help: "Accept ImageFolder class folders without images (they are counted as empty classes).")
    var allowEmptyClasses = false
    @Option(help: "Decoding threads (default: all cores).") var threads: Int?
    @Option(help: "Flag images whose stored width or height is below this many pixels.")
    var tinyBelow = DatasetScanner.defaultTinySideBelow
    @Option(help: "Problem files listed per kind in the text report.") var show = 20
    @Flag(help: "Print one JSON object per file, then a summary object with \"summary\": true.") var json = false

    /// The list-file extensions that make DATA a list file rather than an image.
    static let listFileExtensions: Set<String> = ["csv", "txt", "lst"]

    func validate() throws {
        guard !data.isEmpty else { throw ValidationError("give DATA: an ImageFolder root, a list file or .tar shards") }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1, got \(threads)") }
        guard tinyBelow >= 0 else { throw ValidationError("--tiny-below must not be negative, got \(tinyBelow)") }
        guard show >= 0 else { throw ValidationError("--show must not be negative, got \(show)") }
    }

    func run() throws {
        let index: SampleIndex
        do {
            index = try loadIndex()
        } catch {
            FileHandle.standardError.write(Data("Error: \(error)\n".utf8))
            throw ExitCode(2)
        }
        let scanner = DatasetScanner(
            threads: threads ?? ProcessInfo.processInfo.activeProcessorCount, tinySideBelow: tinyBelow,
            examplesPerKind: show
        )
        let summary = scanner.scan(index) { record in
            if json { print(record.jsonLine) }
        }
        if json {
            print(summary.jsonLine)
        } else {
            printReport(summary)
        }
        if summary.errorCount > 0 { throw ExitCode(1) }
    }

    /// Indexes DATA as training would: a folder, a list file, or shards, told apart by kind and extension.
    private func loadIndex() throws -> SampleIndex {
        let map = try classMap.map { try ClassMap.read(contentsOf: URL(fileURLWithPath: $0)) }
        let urls = data.map { URL(fileURLWithPath: $0) }
        if urls.allSatisfy({ $0.pathExtension.lowercased() == "tar" }) {
            try refuseRoot(for: "tar shards")
            return try WebDataset.index(shards: urls, classNames: map?.classNames)
        }
        guard urls.count == 1, let url = urls.first else {
            throw CommandFailure("several DATA arguments must all be WebDataset shards ending in .tar, got \(data.joined(separator: " "))")
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
            throw CommandFailure("\(url.path): no such file or folder: expected an ImageFolder root, a list file or .tar shards")
        }
        if isDirectory.boolValue {
            try refuseRoot(for: "an ImageFolder")
            let options = ImageFolder.Options(emptyClasses: allowEmptyClasses ? .allow : .reject, classMap: map)
            return try ImageFolder.index(root: url, options: options)
        }
        guard Self.listFileExtensions.contains(url.pathExtension.lowercased()) else {
            throw CommandFailure(
                "\(url.path): expected a folder, a list file ending in .csv, .txt or .lst, or shards ending in .tar"
            )
        }
        let options = ImageListFile.Options(
            labeling: multiLabel ? .multiLabel : .singleLabel, classes: map.map { .named($0) } ?? .indexed(names: nil)
        )
        let listRoot = root.map { URL(fileURLWithPath: $0, isDirectory: true) } ?? url.deletingLastPathComponent()
        return try ImageListFile.index(listFile: url, root: listRoot, options: options)
    }

    /// Throws when --root is given for a source whose paths do not come from a list file.
    private func refuseRoot(for source: String) throws {
        guard root == nil else { throw CommandFailure("--root applies to list files only; DATA is \(source)") }
    }

    /// Prints the totals, the problem files grouped by kind (at most --show per kind), and the class counts.
    private func printReport(_ summary: DatasetScanSummary) {
        print(String(format: "Scanned %d files in %.2f s (%.1f files/s, %d thread%@): %d ok, %d with errors.",
                     summary.fileCount, summary.elapsedSeconds, summary.filesPerSecond, summary.threads,
                     summary.threads == 1 ? "" : "s", summary.okCount, summary.errorCount))
        let errorKinds = ImageDecodingError.Category.allCases.map { ScanProblemKind.error($0) }
        let flagKinds = ImageScanFlag.allCases.map { ScanProblemKind.flag($0) }
        for (title, kinds) in [("Errors", errorKinds), ("Flags (the files decode; worth a look)", flagKinds)] {
            let present = kinds.filter { summary.count(of: $0) > 0 }
            guard !present.isEmpty else { continue }
            print("\n\(title):")
            for kind in present {
                printGroup(kind, of: summary)
            }
        }
        printClasses(summary)
    }

    /// One problem kind: its name and count, its example files, and how many more there are.
    private func printGroup(_ kind: ScanProblemKind, of summary: DatasetScanSummary) {
        let count = summary.count(of: kind)
        switch kind {
        case .error: print("  \(kind): \(count)")
        case .flag(.tiny): print("  \(kind) (a side below \(tinyBelow) px): \(count)")
        case let .flag(flag): print("  \(kind) (\(flag.meaning)): \(count)")
        }
        let examples = summary.examples[kind, default: []]
        for record in examples {
            print("    " + Self.describe(record, as: kind))
        }
        if count > examples.count {
            print("    ... and \(count - examples.count) more")
        }
    }

    /// A record as one report line: the path, a tar member's key, what the headers say, and the reason for an error.
    static func describe(_ record: ImageScanRecord, as kind: ScanProblemKind) -> String {
        var details: [String] = []
        if let key = record.memberKey { details.append("key \(key)") }
        if let format = record.format { details.append(format.description) }
        if let width = record.width, let height = record.height { details.append("\(width)×\(height)") }
        if let orientation = record.orientation, orientation != .identity { details.append("orientation \(orientation.rawValue)") }
        let line = record.path + (details.isEmpty ? "" : " (" + details.joined(separator: ", ") + ")")
        guard case .error = kind, let reason = record.reason else { return line }
        return line + ": " + reason
    }

    /// Samples per class: every class for up to 100 classes, otherwise the ten smallest and largest and the empty ones.
    private func printClasses(_ summary: DatasetScanSummary) {
        let rows = zip(summary.classNames, summary.classCounts).map { (name: $0.0, count: $0.1) }
        let empty = rows.filter { $0.count == 0 }
        print("\nClasses: \(rows.count)" + (empty.isEmpty ? "" : ", \(empty.count) without samples"))
        let width = min(40, rows.map(\.name.count).max() ?? 0)
        func line(_ row: (name: String, count: Int)) -> String {
            "  " + row.name.padding(toLength: max(width, row.name.count), withPad: " ", startingAt: 0)
                + String(format: " %8d", row.count) + (row.count == 0 ? "  (no samples)" : "")
        }
        guard rows.count > 100 else {
            rows.forEach { print(line($0)) }
            return
        }
        let sorted = rows.sorted { $0.count < $1.count }
        print("  smallest:")
        sorted.prefix(10).forEach { print(line($0)) }
        print("  largest:")
        sorted.suffix(10).reversed().forEach { print(line($0)) }
        if empty.count > 10 {
            print("  without samples: " + empty.map(\.name).joined(separator: ", "))
        }
        print("  (--json lists every class)")
    }
}
