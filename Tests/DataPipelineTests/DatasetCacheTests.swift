import DataPipeline
import Foundation
import Testing

/// Unpacking `.tar.gz` archives into the data-set cache: once, atomically, with errors naming the archive.
struct DatasetCacheTests {
    /// Packs `files` (relative path → text) into `name` inside `directory` with `/usr/bin/tar -czf`.
    func makeArchive(_ files: [String: String], named name: String, in directory: TemporaryDirectory) throws -> URL {
        for (path, text) in files {
            try directory.writeText(text, to: "source/" + path)
        }
        try directory.runTar(["-czf", name, "-C", "source", "."])
        return directory.url.appendingPathComponent(name)
    }

    @Test func unpacksOnceAndReusesTheFolder() throws {
        let directory = try TemporaryDirectory()
        let archive = try makeArchive(["set/train/cat/1.jpg": "one", "set/test/dog/2.jpg": "two"], named: "set.tar.gz", in: directory)
        let cache = DatasetCache(directory: directory.url.appendingPathComponent("cache"))

        let folder = try cache.unpacked(archive: archive, name: "set")
        try FileManager.default.removeItem(at: archive)
        let again = try cache.unpacked(archive: archive, name: "set")

        #expect(folder == cache.folder(named: "set"))
        #expect(again == folder)
        #expect(try String(contentsOf: folder.appendingPathComponent("set/train/cat/1.jpg"), encoding: .utf8) == "one")
        let entries = try FileManager.default.contentsOfDirectory(atPath: cache.directory.path)
        #expect(entries == ["set"])
    }

    @Test func corruptArchiveLeavesNothingBehind() throws {
        let directory = try TemporaryDirectory()
        let archive = try makeArchive(["a/1.jpg": String(repeating: "x", count: 5000)], named: "good.tar.gz", in: directory)
        let bytes = try [UInt8](Data(contentsOf: archive))
        let truncated = try directory.write(Array(bytes.prefix(bytes.count / 2)), named: "truncated.tar.gz")
        let cache = DatasetCache(directory: directory.url.appendingPathComponent("cache"))

        let error = #expect(throws: DatasetCacheError.self) { try cache.unpacked(archive: truncated, name: "broken") }

        guard case let .tarFailed(path, status, _) = error else {
            Issue.record("expected tarFailed, found \(String(describing: error))")
            return
        }
        #expect(path == truncated.path)
        #expect(status != 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: cache.directory.path).isEmpty)
    }

    @Test func missingArchiveIsNamed() throws {
        let directory = try TemporaryDirectory()
        let archive = directory.url.appendingPathComponent("absent.tar.gz")
        let cache = DatasetCache(directory: directory.url.appendingPathComponent("cache"))

        #expect(throws: DatasetCacheError.missingArchive(path: archive.path)) { try cache.unpacked(archive: archive, name: "absent") }
    }

    @Test func partialFolderOfAnEndedProcessIsRemoved() throws {
        let directory = try TemporaryDirectory()
        let archive = try makeArchive(["a/1.jpg": "one"], named: "set.tar.gz", in: directory)
        let ended = Process()
        ended.executableURL = URL(fileURLWithPath: "/bin/true")
        try ended.run()
        ended.waitUntilExit()
        let cacheDirectory = directory.url.appendingPathComponent("cache")
        let abandoned = ".set.partial-\(ended.processIdentifier)-0000"
        let running = ".set.partial-\(ProcessInfo.processInfo.processIdentifier)-1111"
        try FileManager.default.createDirectory(at: cacheDirectory.appendingPathComponent(abandoned), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: cacheDirectory.appendingPathComponent(running), withIntermediateDirectories: true)

        _ = try DatasetCache(directory: cacheDirectory).unpacked(archive: archive, name: "set")

        let entries = try FileManager.default.contentsOfDirectory(atPath: cacheDirectory.path).sorted()
        #expect(entries == [running, "set"])
    }
}
