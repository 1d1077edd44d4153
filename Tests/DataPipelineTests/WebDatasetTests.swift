@testable import DataPipeline
import Foundation
import Testing

/// WebDataset shards: webdataset's key rule, grouping into samples (streamed and indexed), and malformed samples.
struct WebDatasetTests {
    /// Image bytes that differ per sample, so a mix-up shows.
    func image(_ seed: UInt8, count: Int = 700) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: Int(seed) * 31 + $0) }
    }

    /// A shard of three samples, with a folder and a keyless file between them.
    func threeSampleShard() -> [UInt8] {
        TarArchiveBytes.member(name: "train/", data: [], typeFlag: "5")
            + TarArchiveBytes.member(name: "train/0001.jpg", data: image(1))
            + TarArchiveBytes.file("train/0001.cls", "3\n")
            + TarArchiveBytes.file("train/0001.json", "{\"w\":32}")
            + TarArchiveBytes.file("README", "not a sample")
            + TarArchiveBytes.member(name: "train/0002.PNG", data: image(2, count: 10))
            + TarArchiveBytes.file("train/0002.cls", " 0 ")
            + TarArchiveBytes.file("train/0003.cls", "9")
            + TarArchiveBytes.member(name: "train/0003.seg.png", data: [1])
            + TarArchiveBytes.member(name: "train/0003.jpeg", data: image(3))
            + TarArchiveBytes.end
    }

    /// Every sample a reader streams from `url`.
    func streamed(_ url: URL, classCount: Int? = nil) throws -> [WebDatasetSample] {
        let reader = try WebDatasetReader(shard: url, classCount: classCount)
        var samples: [WebDatasetSample] = []
        while let sample = try reader.next() {
            samples.append(sample)
        }
        return samples
    }

    @Test func keysFollowWebdatasetsBasePlusExt() {
        #expect(WebDatasetKey.split("a/b/0001.jpg")! == ("a/b/0001", "jpg"))
        #expect(WebDatasetKey.split("x.seg.PNG")! == ("x", "seg.png"))
        #expect(WebDatasetKey.split("dir.v2/x.jpg")! == ("dir.v2/x", "jpg"))
        #expect(WebDatasetKey.split("d/.x.jpg")! == ("d/", "x.jpg"))
        #expect(WebDatasetKey.split("k.")! == ("k", ""))
        #expect(WebDatasetKey.split("noext") == nil)
        #expect(WebDatasetKey.split(".hidden") == nil)
        #expect(WebDatasetKey.split("a.b/c") == nil)
        #expect(WebDatasetKey.split("a/b.c/.d.e") == nil)
    }

    @Test func readerGroupsConsecutiveMembersIntoSamples() throws {
        let directory = try TemporaryDirectory()
        let shard = try directory.write(threeSampleShard(), named: "shard-000.tar")

        let samples = try streamed(shard)

        #expect(samples.map(\.key) == ["train/0001", "train/0002", "train/0003"])
        #expect(samples.map(\.label) == [3, 0, 9])
        #expect(samples.map(\.imageExtension) == ["jpg", "png", "jpeg"])
        #expect(samples.map(\.image) == [image(1), image(2, count: 10), image(3)])
        #expect(samples.map(\.metadata) == [Array("{\"w\":32}".utf8), nil, nil])
    }

    @Test func indexRecordsWhereEachImageLiesAcrossShards() throws {
        let directory = try TemporaryDirectory()
        let first = try directory.write(threeSampleShard(), named: "shard-000.tar")
        let second = try directory.write(
            TarArchiveBytes.member(name: "x.webp", data: image(4)) + TarArchiveBytes.file("x.cls", "5") + TarArchiveBytes.end,
            named: "shard-001.tar"
        )

        let index = try WebDataset.index(shards: [first, second])

        #expect(index.count == 4)
        #expect(index.classNames == (0...9).map(String.init))
        #expect((0..<4).map { index.sample(at: $0).label } == [3, 0, 9, 5])
        let expectedImages = [image(1), image(2, count: 10), image(3), image(4)]
        for position in 0..<4 {
            guard case let .tarMember(shard, offset, length) = index.location(at: position) else {
                Issue.record("expected a tar member location, found \(index.location(at: position))")
                continue
            }
            let bytes = try [UInt8](Data(contentsOf: shard))
            #expect(Array(bytes[offset..<(offset + length)]) == expectedImages[position])
        }
        guard case let .tarMembers(table) = index.storage else {
            Issue.record("expected tar member storage")
            return
        }
        #expect(Array(table.keys) == ["train/0001", "train/0002", "train/0003", "x"])
        #expect(table.shardIndices == [0, 0, 0, 1])
    }

    @Test func sampleWithoutLabelOrImageThrowsNamingShardAndKey() throws {
        let directory = try TemporaryDirectory()
        let noLabel = try directory.write(
            TarArchiveBytes.file("a.cls", "1") + TarArchiveBytes.member(name: "a.jpg", data: [1])
                + TarArchiveBytes.member(name: "b.jpg", data: [2]) + TarArchiveBytes.file("b.json", "{}")
                + TarArchiveBytes.file("c.cls", "1") + TarArchiveBytes.member(name: "c.jpg", data: [3]) + TarArchiveBytes.end,
            named: "no-label.tar"
        )
        let noImage = try directory.write(TarArchiveBytes.file("a.cls", "1") + TarArchiveBytes.end, named: "no-image.tar")

        let labelError = #expect(throws: WebDatasetError.self) { _ = try streamed(noLabel) }
        let indexError = #expect(throws: WebDatasetError.self) { _ = try WebDataset.index(shards: [noLabel]) }
        let imageError = #expect(throws: WebDatasetError.self) { _ = try streamed(noImage) }

        #expect(labelError == .missingLabel(shard: noLabel.path, key: "b", extensions: ["jpg", "json"]))
        #expect(indexError == labelError)
        #expect(labelError?.description.contains("\(noLabel.path): sample \"b\" has no label") == true)
        #expect(imageError == .missingImage(shard: noImage.path, key: "a", extensions: ["cls"]))
    }

    @Test func malformedSamplesAreRejected() throws {
        let directory = try TemporaryDirectory()
        func shard(_ bytes: [UInt8], _ name: String) throws -> URL {
            try directory.write(bytes + TarArchiveBytes.end, named: name)
        }
        let twoImages = try shard(
            TarArchiveBytes.member(name: "a.jpg", data: [1]) + TarArchiveBytes.member(name: "a.png", data: [2])
                + TarArchiveBytes.file("a.cls", "0"),
            "two.tar"
        )
        let duplicate = try shard(TarArchiveBytes.file("a.cls", "0") + TarArchiveBytes.file("a.cls", "1"), "dup.tar")
        let wordLabel = try shard(TarArchiveBytes.member(name: "a.jpg", data: [1]) + TarArchiveBytes.file("a.cls", "cat"), "word.tar")

        #expect(throws: WebDatasetError.multipleImages(shard: twoImages.path, key: "a", extensions: ["jpg", "png"])) {
            _ = try streamed(twoImages)
        }
        #expect(throws: WebDatasetError.duplicateMember(shard: duplicate.path, key: "a", fileExtension: "cls")) {
            _ = try streamed(duplicate)
        }
        #expect(throws: WebDatasetError.badLabel(shard: wordLabel.path, key: "a", text: "cat")) { _ = try streamed(wordLabel) }
    }

    @Test func labelsBeyondTheGivenClassesAreRejected() throws {
        let directory = try TemporaryDirectory()
        let url = try directory.write(threeSampleShard(), named: "shard.tar")

        #expect(throws: WebDatasetError.labelOutOfRange(shard: url.path, key: "train/0003", label: 9, classCount: 5)) {
            _ = try WebDataset.index(shards: [url], classNames: ["a", "b", "c", "d", "e"])
        }
    }

    @Test func implausiblyLargeLabelWithoutClassNamesIsRejected() throws {
        let directory = try TemporaryDirectory()
        let url = try directory.write(
            TarArchiveBytes.member(name: "a.jpg", data: [1]) + TarArchiveBytes.file("a.cls", "2000000000") + TarArchiveBytes.end,
            named: "huge.tar"
        )

        #expect(throws: WebDatasetError.labelOutOfRange(shard: url.path, key: "a", label: 2_000_000_000, classCount: 1 << 20)) {
            _ = try WebDataset.index(shards: [url])
        }
    }

    @Test func truncatedShardThrowsNamingShardAndOffset() throws {
        let directory = try TemporaryDirectory()
        let url = try directory.write(Array(threeSampleShard().prefix(512 + 512 + 200)), named: "cut.tar")

        let error = #expect(throws: WebDatasetError.self) { _ = try streamed(url) }

        let expected = "700 bytes of data for member \"train/0001.jpg\""
        #expect(error == .tar(.truncated(path: url.path, offset: 1024, expected: expected, fileSize: 1224)))
    }

    @Test func shardsWithoutSamplesAreAnError() throws {
        let directory = try TemporaryDirectory()
        let url = try directory.write(TarArchiveBytes.file("README", "x") + TarArchiveBytes.end, named: "empty.tar")

        #expect(throws: WebDatasetError.noSamples(shards: [url.path])) { _ = try WebDataset.index(shards: [url]) }
    }

    @Test func shardWrittenByGNUTarStreamsTheSameSamples() throws {
        let directory = try TemporaryDirectory()
        try directory.makeFiles(["s/k1.jpg"], contents: image(7))
        try directory.writeText("2", to: "s/k1.cls")
        try directory.makeFiles(["s/k2.png"], contents: image(8))
        try directory.writeText("4", to: "s/k2.cls")
        try directory.runTar(["-cf", "shard.tar", "--format=pax", "-C", "s", "k1.jpg", "k1.cls", "k2.png", "k2.cls"])

        let samples = try streamed(directory.url.appendingPathComponent("shard.tar"), classCount: 5)

        #expect(samples.map(\.key) == ["k1", "k2"])
        #expect(samples.map(\.label) == [2, 4])
        #expect(samples.map(\.image) == [image(7), image(8)])
    }
}
