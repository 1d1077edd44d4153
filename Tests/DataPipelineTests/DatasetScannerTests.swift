import DataPipeline
import Foundation
import Testing

/// The data-set scanner over the decoder fixtures: each file's record, the totals, thread-count independence, tar members, JSON lines.
///
/// Every fixture image is 17×11 except `jpeg_scaled_source.jpg` (41×27), so the
/// tests use a tiny threshold of 12 pixels: the 17×11 files are tiny (11 < 12)
/// and the 41×27 one is not, which checks both sides of the threshold.
struct DatasetScannerTests {
    /// What one file's record must say.
    struct Expected {
        let category: ImageDecodingError.Category?
        let format: ImageFormat?
        let size: (width: Int, height: Int)?
        let orientation: ExifOrientation?
        let flags: Set<ImageScanFlag>
    }

    /// Class folder and file name in the temporary ImageFolder, the fixture copied there, and its expected record.
    static let layout: [(path: String, fixture: String, expected: Expected)] = [
        ("a/cmyk.jpg", "jpeg_cmyk.jpg", Expected(category: nil, format: .jpeg, size: (17, 11), orientation: nil, flags: [.cmyk, .tiny])),
        ("a/empty.jpg", "jpeg_empty.jpg", Expected(category: .emptyFile, format: .unknown, size: nil, orientation: nil, flags: [])),
        ("a/orientation_1.jpg", "jpeg_orientation_1.jpg",
         Expected(category: nil, format: .jpeg, size: (17, 11), orientation: .identity, flags: [.tiny])),
        ("a/orientation_6.jpg", "jpeg_orientation_6.jpg",
         Expected(category: nil, format: .jpeg, size: (17, 11), orientation: .rotate90Clockwise, flags: [.rotated, .tiny])),
        ("a/png.jpg", "png_named_as.jpg",
         Expected(category: nil, format: .png, size: (17, 11), orientation: nil, flags: [.wrongExtension, .tiny])),
        ("a/truncated.jpg", "jpeg_truncated.jpg",
         Expected(category: .truncated, format: .jpeg, size: (17, 11), orientation: nil, flags: [.tiny])),
        ("b/gif.jpg", "gif_image.gif",
         Expected(category: .unsupportedFormat, format: .gif, size: nil, orientation: nil, flags: [.wrongExtension])),
        ("b/grey.jpg", "jpeg_grey.jpg", Expected(category: nil, format: .jpeg, size: (17, 11), orientation: nil, flags: [.grey, .tiny])),
        ("b/grey_alpha.png", "png_grey_alpha.png",
         Expected(category: nil, format: .png, size: (17, 11), orientation: nil, flags: [.grey, .alpha, .tiny])),
        ("b/large.JPEG", "jpeg_scaled_source.jpg", Expected(category: nil, format: .jpeg, size: (41, 27), orientation: nil, flags: [])),
        ("b/rgba16.png", "png_rgba16.png",
         Expected(category: nil, format: .png, size: (17, 11), orientation: nil, flags: [.alpha, .sixteenBit, .tiny])),
        ("c/corrupt_header.jpg", "jpeg_corrupt_header.jpg",
         Expected(category: .corrupt, format: .jpeg, size: nil, orientation: nil, flags: [])),
        ("c/corrupt_idat.png", "png_corrupt_idat.png",
         Expected(category: .corrupt, format: .png, size: (17, 11), orientation: nil, flags: [.tiny])),
        ("c/png_orientation_6.png", "png_orientation_6.png",
         Expected(category: nil, format: .png, size: (17, 11), orientation: .rotate90Clockwise, flags: [.rotated, .tiny])),
        ("c/text.jpg", "text_named_as.jpg",
         Expected(category: .unsupportedFormat, format: .unknown, size: nil, orientation: nil, flags: [])),
        ("c/truncated.png", "png_truncated.png", Expected(category: .truncated, format: .png, size: nil, orientation: nil, flags: [])),
    ]

    /// Writes an ImageFolder holding every file of `layout` (`copies` times, prefixed `0_`, `1_`, … when more than once) under `directory`.
    func makeFolder(in directory: TemporaryDirectory, copies: Int = 1) throws -> SampleIndex {
        for copy in 0..<copies {
            for entry in Self.layout {
                let path = copies == 1 ? entry.path : entry.path.replacingOccurrences(of: "/", with: "/\(copy)_")
                try directory.makeFiles([path], contents: try DecodingFixtures.bytes(of: entry.fixture))
            }
        }
        return try ImageFolder.index(root: directory.url)
    }

    /// Scans the `layout` folder with `scanner`, keeping the folder until the scan is over; returns its root too.
    func scanFolder(with scanner: DatasetScanner, copies: Int = 1) throws
        -> (root: URL, records: [ImageScanRecord], summary: DatasetScanSummary)
    {
        let directory = try TemporaryDirectory()
        let index = try makeFolder(in: directory, copies: copies)
        let (records, summary) = withExtendedLifetime(directory) { scanner.scanAll(index) }
        return (directory.url, records, summary)
    }

    @Test func everyFileGetsTheStatusFormatStoredSizeOrientationAndFlagsItsBytesCallFor() throws {
        let (root, records, _) = try scanFolder(with: DatasetScanner(threads: 2, tinySideBelow: 12))

        try #require(records.count == Self.layout.count)
        for (position, (record, entry)) in zip(records, Self.layout).enumerated() {
            let expected = entry.expected
            #expect(record.sampleIndex == position)
            #expect(record.path == root.appendingPathComponent(entry.path).path)
            #expect(record.memberKey == nil)
            #expect(record.errorCategory == expected.category, "\(entry.path)")
            #expect(record.isOK == (expected.category == nil), "\(entry.path)")
            #expect((record.reason == nil) == record.isOK, "\(entry.path): an error carries a reason, an ok file none")
            #expect(record.format == expected.format, "\(entry.path)")
            #expect(record.width == expected.size?.width && record.height == expected.size?.height, "\(entry.path)")
            #expect(record.orientation == expected.orientation, "\(entry.path)")
            #expect(record.flags == expected.flags, "\(entry.path)")
        }
    }

    @Test func errorsCarryTheDecodersOwnMessage() throws {
        let (_, records, _) = try scanFolder(with: DatasetScanner(threads: 1))

        let truncated = try #require(records.first { $0.path.hasSuffix("a/truncated.jpg") })
        #expect(truncated.reason?.contains("Premature end") == true)
        let gif = try #require(records.first { $0.path.hasSuffix("b/gif.jpg") })
        #expect(gif.reason?.contains("found GIF") == true)
    }

    @Test func summaryCountsErrorsByCategoryFlagsAndClasses() throws {
        let (_, _, summary) = try scanFolder(with: DatasetScanner(threads: 2, tinySideBelow: 12))

        #expect(summary.fileCount == 16)
        #expect(summary.okCount == 9)
        #expect(summary.errorCount == 7)
        #expect(summary.errorCounts == [
            .emptyFile: 1, .unreadableFile: 0, .unsupportedFormat: 2, .truncated: 2, .corrupt: 2, .tooLarge: 0,
            .decoderFailure: 0,
        ])
        #expect(summary.flagCounts == [
            .cmyk: 1, .wrongExtension: 2, .tiny: 10, .rotated: 2, .grey: 2, .alpha: 2, .sixteenBit: 1,
        ])
        #expect(summary.classNames == ["a", "b", "c"])
        #expect(summary.classCounts == [6, 5, 5])
        #expect(summary.threads == 2)
        #expect(summary.elapsedSeconds > 0)
        #expect(summary.filesPerSecond > 0)
    }

    @Test func summaryKeepsTheFirstExamplesOfEachKindInSampleOrder() throws {
        let (_, records, summary) = try scanFolder(with: DatasetScanner(threads: 2, tinySideBelow: 12, examplesPerKind: 2))

        let tiny = summary.examples[.flag(.tiny), default: []]
        #expect(tiny == Array(records.filter { $0.flags.contains(.tiny) }.prefix(2)))
        #expect(summary.count(of: .flag(.tiny)) == 10)
        let truncated = summary.examples[.error(.truncated), default: []]
        #expect(truncated.map { URL(fileURLWithPath: $0.path).lastPathComponent } == ["truncated.jpg", "truncated.png"])
        #expect(summary.examples[.flag(.cmyk), default: []].count == 1)
        #expect(summary.examples[.error(.tooLarge)] == nil)
    }

    @Test func oneAndFourThreadsGiveIdenticalRecordsInSampleOrder() throws {
        let directory = try TemporaryDirectory()
        let index = try makeFolder(in: directory, copies: 4)
        let (single, singleSummary) = DatasetScanner(threads: 1, tinySideBelow: 12).scanAll(index)
        let (parallel, parallelSummary) = DatasetScanner(threads: 4, tinySideBelow: 12).scanAll(index)
        withExtendedLifetime(directory) {}

        #expect(single.count == 64)
        #expect(singleSummary.okCount == 36)
        #expect(single.map(\.sampleIndex) == Array(0..<64))
        #expect(parallel == single)
        #expect(parallelSummary.errorCounts == singleSummary.errorCounts)
        #expect(parallelSummary.flagCounts == singleSummary.flagCounts)
        #expect(parallelSummary.examples == singleSummary.examples)
    }

    @Test func fileRemovedAfterIndexingIsAnUnreadableError() throws {
        let directory = try TemporaryDirectory()
        let index = try makeFolder(in: directory)
        try FileManager.default.removeItem(at: directory.url.appendingPathComponent("a/cmyk.jpg"))

        let (records, summary) = DatasetScanner(threads: 2).scanAll(index)
        withExtendedLifetime(directory) {}

        #expect(records[0].errorCategory == .unreadableFile)
        #expect(records[0].format == nil)
        #expect(records[0].flags.isEmpty)
        #expect(summary.errorCounts[.unreadableFile] == 1)
    }

    @Test func allowedEmptyClassesAreCountedWithNoSamples() throws {
        let directory = try TemporaryDirectory()
        try directory.makeFiles(["cat/1.jpg"], contents: try DecodingFixtures.bytes(of: "jpeg_baseline_420.jpg"))
        try directory.makeFolders(["dog"])
        let index = try ImageFolder.index(root: directory.url, options: ImageFolder.Options(emptyClasses: .allow))

        let (records, summary) = DatasetScanner(threads: 3).scanAll(index)
        withExtendedLifetime(directory) {}

        #expect(records.map(\.isOK) == [true])
        #expect(summary.classNames == ["cat", "dog"])
        #expect(summary.classCounts == [1, 0])
    }

    @Test func tarMembersAreScannedWithTheirKeysAndNoExtensionCheck() throws {
        let directory = try TemporaryDirectory()
        let shard = TarArchiveBytes.member(name: "train/0001.jpg", data: try DecodingFixtures.bytes(of: "png_named_as.jpg"))
            + TarArchiveBytes.file("train/0001.cls", "1\n")
            + TarArchiveBytes.member(name: "train/0002.jpg", data: try DecodingFixtures.bytes(of: "jpeg_truncated.jpg"))
            + TarArchiveBytes.file("train/0002.cls", "0\n")
            + TarArchiveBytes.end
        let url = try directory.write(shard, named: "shard-000.tar")
        let index = try WebDataset.index(shards: [url])

        let (records, summary) = DatasetScanner(threads: 2, tinySideBelow: 12).scanAll(index)
        withExtendedLifetime(directory) {}

        #expect(records.map(\.memberKey) == ["train/0001", "train/0002"])
        #expect(records.map(\.path) == [url.path + " @ byte 512", url.path + " @ byte 2560"])
        #expect(records[0].isOK && records[0].format == .png && records[0].flags == [.tiny])
        #expect(records[1].errorCategory == .truncated && records[1].width == 17)
        #expect(summary.classCounts == [1, 1])
    }

    @Test func listFileNamingAMissingImageFailsToIndexNamingTheLine() throws {
        let directory = try TemporaryDirectory()
        try directory.makeFiles(["images/a.jpg"], contents: try DecodingFixtures.bytes(of: "jpeg_baseline_420.jpg"))
        let list = try directory.writeText("a.jpg,0\ngone.jpg,1\n", to: "train.csv")

        let error = #expect(throws: ImageListFileError.self) {
            try ImageListFile.index(listFile: list, root: directory.url.appendingPathComponent("images"))
        }

        #expect(error?.description.contains("train.csv:2: image file") == true)
        #expect(error?.description.contains("gone.jpg does not exist") == true)
    }

    @Test func jsonLinesHoldEveryKeyWithNullsAndBooleanFlags() throws {
        let (_, records, summary) = try scanFolder(with: DatasetScanner(threads: 2, tinySideBelow: 12))

        let orientation6 = try #require(records.first { $0.path.hasSuffix("a/orientation_6.jpg") })
        let line = orientation6.jsonLine
        #expect(!line.contains("\n"))
        #expect(line.contains("\"path\":\"\(orientation6.path)\""), "slashes stay unescaped")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(Set(object.keys) == [
            "path", "key", "status", "reason", "category", "format", "width", "height", "orientation",
            "cmyk", "wrongExtension", "tiny", "rotated", "grey", "alpha", "sixteenBit",
        ])
        #expect(object["status"] as? String == "ok")
        #expect(object["reason"] is NSNull && object["category"] is NSNull && object["key"] is NSNull)
        #expect(object["format"] as? String == "jpeg")
        #expect(object["width"] as? Int == 17 && object["height"] as? Int == 11)
        #expect(object["orientation"] as? Int == 6)
        #expect(object["rotated"] as? Bool == true && object["cmyk"] as? Bool == false)

        let empty = try #require(records.first { $0.path.hasSuffix("a/empty.jpg") })
        let emptyObject = try #require(try JSONSerialization.jsonObject(with: Data(empty.jsonLine.utf8)) as? [String: Any])
        #expect(emptyObject["status"] as? String == "error")
        #expect(emptyObject["category"] as? String == "emptyFile")
        #expect(emptyObject["width"] is NSNull)

        let summaryObject = try #require(try JSONSerialization.jsonObject(with: Data(summary.jsonLine.utf8)) as? [String: Any])
        #expect(summaryObject["summary"] as? Bool == true)
        #expect(summaryObject["files"] as? Int == 16 && summaryObject["ok"] as? Int == 9 && summaryObject["errors"] as? Int == 7)
        #expect((summaryObject["errorsByCategory"] as? [String: Int])?["truncated"] == 2)
        #expect((summaryObject["flags"] as? [String: Int])?["wrongExtension"] == 2)
        let classes = try #require(summaryObject["classes"] as? [[String: Any]])
        #expect(classes.map { $0["name"] as? String } == ["a", "b", "c"])
        #expect(classes.map { $0["count"] as? Int } == [6, 5, 5])
    }

    @Test func jsonKeysAreSortedSoLinesAreStable() throws {
        let record = ImageScanRecord(
            sampleIndex: 0, path: "/data/x.jpg", status: .error(category: .truncated, reason: "cut"), format: .jpeg,
            width: 3, height: 2, orientation: .rotate180, flags: [.rotated, .tiny]
        )

        #expect(record.jsonLine == #"{"alpha":false,"category":"truncated","cmyk":false,"format":"jpeg","grey":false,"height":2,"#
            + #""key":null,"orientation":3,"path":"/data/x.jpg","reason":"cut","rotated":true,"sixteenBit":false,"#
            + #""status":"error","tiny":true,"width":3,"wrongExtension":false}"#)
    }

    @Test(arguments: [
        (ImageFormat.jpeg, "a.jpg", false), (.jpeg, "a.JPEG", false), (.jpeg, "a.jpe", false), (.jpeg, "a.png", true),
        (.png, "n01440764_1234.JPEG", true), (.png, "a.Png", false), (.gif, "a.jpg", true), (.tiff, "a.tif", false),
        (.jpeg, "no_extension", true), (.unknown, "a.jpg", false), (.unknown, "notes.txt", false),
    ])
    func wrongExtensionComparesTheSniffedFormatWithTheName(format: ImageFormat, fileName: String, contradicts: Bool) {
        #expect(format.contradicts(fileName: fileName) == contradicts)
    }
}
