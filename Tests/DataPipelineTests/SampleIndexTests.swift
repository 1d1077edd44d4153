import DataPipeline
import Foundation
import Testing

/// The shared index types: packed paths, single and multi-label targets, locations, and reading a sample's bytes.
struct SampleIndexTests {
    @Test func packedStringsRoundTripAnyText() {
        let strings = ["n01440764/n01440764_10026.JPEG", "", "caf\u{E9}/e\u{301}.jpg", "a"]

        let packed = PackedStrings(strings)

        #expect(Array(packed).map { Array($0.utf8) } == strings.map { Array($0.utf8) })
        #expect(packed.count == 4)
        #expect(packed.ends == [30, 30, 43, 44])
        #expect(Array(packed.utf8Bytes(at: 3)) == [UInt8(ascii: "a")])
    }

    @Test func multiLabelTargetsSliceEachSample() {
        let targets = SampleTargets(multiLabels: [[3, 7], [], [1], [0, 1, 2]])

        #expect(targets.isMultiLabel)
        #expect(targets.count == 4)
        #expect(targets.values == [3, 7, 1, 0, 1, 2])
        #expect(Array(targets.labels(at: 0)) == [3, 7])
        #expect(targets.labels(at: 1).isEmpty)
        #expect(Array(targets.labels(at: 3)) == [0, 1, 2])
    }

    @Test func singleLabelTargetsHoldOneLabelEach() {
        let targets = SampleTargets(singleLabels: [4, 2])

        #expect(!targets.isMultiLabel)
        #expect(targets.count == 2)
        #expect(Array(targets.labels(at: 1)) == [2])
    }

    @Test func countsPerClassCountEveryLabelOfMultiLabelSamples() {
        let index = SampleIndex(
            storage: .files(root: URL(fileURLWithPath: "/data"), paths: PackedStrings(["a.jpg", "b.jpg"])),
            targets: SampleTargets(multiLabels: [[0, 2], [2]]),
            classNames: ["x", "y", "z"]
        )

        #expect(index.countsPerClass() == [1, 0, 2])
        #expect(index.classesWithoutSamples() == ["y"])
        #expect(index.sample(at: 0) == ImageSample(location: .file(URL(fileURLWithPath: "/data/a.jpg")), labels: [0, 2][...]))
    }

    @Test func inMemorySetIsDescribedByIndex() {
        let set = LabeledImageSet(height: 1, width: 1, channels: 1, pixels: [9, 8, 7], labels: [1, 0, 1], classNames: ["a", "b"])

        let index = SampleIndex(describing: set)

        #expect(index.count == 3)
        #expect(index.location(at: 2) == .memory(index: 2))
        #expect(index.sample(at: 2).label == 1)
        #expect(index.classNames == ["a", "b"])
    }

    @Test func encodedBytesComeFromFilesAndTarMembers() throws {
        let directory = try TemporaryDirectory()
        try directory.makeFiles(["cat/1.jpg"], contents: [1, 2, 3, 4])
        let shard = try directory.write(
            TarArchiveBytes.member(name: "k.jpg", data: [5, 6, 7]) + TarArchiveBytes.file("k.cls", "0") + TarArchiveBytes.end,
            named: "shard.tar"
        )

        let folder = try ImageFolder.index(root: directory.url)
        let tar = try WebDataset.index(shards: [shard])

        #expect(try folder.encodedBytes(at: 0) == [1, 2, 3, 4])
        #expect(try tar.encodedBytes(at: 0) == [5, 6, 7])
    }

    @Test func shardShortenedAfterIndexingIsReported() throws {
        let directory = try TemporaryDirectory()
        let shard = try directory.write(
            TarArchiveBytes.member(name: "k.jpg", data: [5, 6, 7]) + TarArchiveBytes.file("k.cls", "0") + TarArchiveBytes.end,
            named: "shard.tar"
        )
        let index = try WebDataset.index(shards: [shard])
        try directory.write(Array(repeating: 0, count: 513), named: "shard.tar")

        #expect(throws: SampleReadError.shortMember(shard: shard.path, offset: 512, expectedBytes: 3, foundBytes: 1)) {
            try index.encodedBytes(at: 0)
        }
    }
}
