import DataPipeline
import Foundation
import Testing

/// The tar reader on archives from GNU tar in each format and on hand-built bytes, including every malformed case.
struct TarShardTests {
    /// Every member of the archive at `url` with its data (`nil` for members without data).
    func members(of url: URL) throws -> [(member: TarMember, data: [UInt8])] {
        let reader = try TarReader(contentsOf: url)
        var result: [(TarMember, [UInt8])] = []
        while let member = try reader.nextMember() {
            result.append((member, member.kind == .regularFile ? try reader.readData() : []))
        }
        return result
    }

    /// Writes files with these relative paths and texts, then archives them in that order with GNU tar in `format`.
    func tarArchive(_ files: [(path: String, text: String)], format: String, in directory: TemporaryDirectory) throws -> URL {
        for file in files {
            try directory.writeText(file.text, to: "source/" + file.path)
        }
        try directory.runTar(["-cf", "archive.tar", "--format=\(format)", "-C", "source"] + files.map(\.path))
        return directory.url.appendingPathComponent("archive.tar")
    }

    @Test(arguments: ["gnu", "pax", "ustar"])
    func readsLongPathsInEveryGNUTarFormat(format: String) throws {
        let directory = try TemporaryDirectory()
        let longDirectory = String(repeating: "d", count: 90) + "/" + String(repeating: "e", count: 60)
        let longFile = longDirectory + "/" + String(repeating: "f", count: 80) + ".jpg"
        let files = [("short.cls", "7"), (longFile, String(repeating: "x", count: 700)), ("z.txt", "")]
        let archive = try tarArchive(files, format: format, in: directory)
        let bytes = try [UInt8](Data(contentsOf: archive))

        let read = try members(of: archive)

        #expect(read.map(\.member.path) == files.map(\.0))
        #expect(read.map { String(decoding: $0.data, as: UTF8.self) } == files.map(\.1))
        for (member, data) in read {
            #expect(member.kind == .regularFile)
            #expect(Array(bytes[member.dataOffset..<(member.dataOffset + member.size)]) == data)
        }
    }

    @Test func paxPathsMayHoldNonASCIIAndExceedTheUstarLimit() throws {
        let directory = try TemporaryDirectory()
        let component = String(repeating: "\u{E9}", count: 100)
        let path = "caf\u{E9}/" + component + "/" + component + ".png"
        let archive = try tarArchive([(path, "pixels")], format: "pax", in: directory)

        let read = try members(of: archive)

        #expect(read.map { Array($0.member.path.utf8) } == [Array(path.utf8)])
        #expect(read.first?.data == Array("pixels".utf8))
    }

    @Test func directoriesAndLinksCarryNoData() throws {
        let directory = try TemporaryDirectory()
        try directory.makeFiles(["source/dir/a.jpg"], contents: [1, 2, 3])
        try directory.makeLink(at: "source/dir/link.jpg", to: "a.jpg")
        try directory.runTar(
            ["-cf", "archive.tar", "--format=gnu", "--no-recursion", "-C", "source", "dir", "dir/a.jpg", "dir/link.jpg", "dir/a.jpg"]
        )

        let read = try members(of: directory.url.appendingPathComponent("archive.tar"))

        #expect(read.map(\.member.path) == ["dir/", "dir/a.jpg", "dir/link.jpg", "dir/a.jpg"])
        #expect(read.map(\.member.kind) == [.directory, .regularFile, .symbolicLink, .hardLink])
        #expect(read.map(\.member.size) == [0, 3, 0, 0])
        #expect(read[1].data == [1, 2, 3])
    }

    @Test func handBuiltPaxAndGNULongNameHeadersApplyToTheNextMemberOnly() throws {
        let directory = try TemporaryDirectory()
        let longName = String(repeating: "n", count: 150) + ".jpg"
        let paxSized = TarArchiveBytes.header(name: "ignored-by-pax", size: 0) + TarArchiveBytes.padded(Array("12345".utf8))
        let bytes = TarArchiveBytes.paxHeader([("path", "pax/renamed.jpg"), ("comment", "a=b\nc")])
            + TarArchiveBytes.file("stub", "one")
            + TarArchiveBytes.gnuLongName(longName) + TarArchiveBytes.file("truncated-name", "two")
            + TarArchiveBytes.file("plain.cls", "3")
            + TarArchiveBytes.paxHeader([("size", "5")]) + paxSized
            + TarArchiveBytes.member(name: "name.jpg", data: Array("four".utf8), prefix: "ustar/prefix")
            + TarArchiveBytes.end
        let url = try directory.write(bytes, named: "hand.tar")

        let read = try members(of: url)

        #expect(read.map(\.member.path) == ["pax/renamed.jpg", longName, "plain.cls", "ignored-by-pax", "ustar/prefix/name.jpg"])
        #expect(read.map { String(decoding: $0.data, as: UTF8.self) } == ["one", "two", "3", "12345", "four"])
    }

    @Test func gnuBase256SizeIsRead() throws {
        let directory = try TemporaryDirectory()
        let data = [UInt8](repeating: 9, count: 600)
        let field: [UInt8] = [0x80] + [UInt8](repeating: 0, count: 9) + [0x02, 0x58]
        let header = TarArchiveBytes.replacingSizeField(of: TarArchiveBytes.header(name: "big.bin", size: 0), with: field)
        let url = try directory.write(header + TarArchiveBytes.padded(data) + TarArchiveBytes.end, named: "base256.tar")

        let read = try members(of: url)

        #expect(read.map(\.member.size) == [600])
        #expect(read.first?.data == data)
    }

    @Test func truncatedDataThrowsNamingTheShardAndOffset() throws {
        let directory = try TemporaryDirectory()
        let bytes = TarArchiveBytes.file("a.jpg", String(repeating: "a", count: 100))
            + TarArchiveBytes.file("b.jpg", String(repeating: "b", count: 1000)) + TarArchiveBytes.end
        let url = try directory.write(Array(bytes.prefix(512 + 512 + 512 + 300)), named: "cut.tar")
        let reader = try TarReader(contentsOf: url)

        _ = try reader.nextMember()
        let error = #expect(throws: TarError.self) { try reader.nextMember() }

        #expect(error == .truncated(path: url.path, offset: 1536, expected: "1000 bytes of data for member \"b.jpg\"", fileSize: 1836))
        #expect(error?.description.contains("\(url.path): tar file is truncated at byte offset 1536") == true)
    }

    @Test func archiveCutAtAMemberBoundaryIsTruncatedToo() throws {
        let directory = try TemporaryDirectory()
        let bytes = TarArchiveBytes.file("a.jpg", "x") + TarArchiveBytes.file("b.jpg", "y")
        let url = try directory.write(bytes, named: "no-end.tar")

        let error = #expect(throws: TarError.self) { _ = try members(of: url) }

        let expected = "a 512-byte header or the end-of-archive block"
        #expect(error == .truncated(path: url.path, offset: 2048, expected: expected, fileSize: 2048))
    }

    @Test func corruptHeadersThrowNamingTheOffset() throws {
        let directory = try TemporaryDirectory()
        let badChecksum = TarArchiveBytes.file("a.jpg", "x") + TarArchiveBytes.header(name: "b.jpg", size: 0, checksumAdjustment: 1)
            + TarArchiveBytes.end
        let notTar = try directory.write(Array(repeating: 0x41, count: 2048), named: "text.tar")
        let badPax = TarArchiveBytes.member(name: "PaxHeaders/x", data: Array("99 path=x\n".utf8), typeFlag: "x")
            + TarArchiveBytes.file("a.jpg", "x") + TarArchiveBytes.end
        let orphan = TarArchiveBytes.gnuLongName("lost.jpg") + TarArchiveBytes.end
        let badChecksumURL = try directory.write(badChecksum, named: "checksum.tar")
        let badPaxURL = try directory.write(badPax, named: "pax.tar")
        let orphanURL = try directory.write(orphan, named: "orphan.tar")

        let checksumError = #expect(throws: TarError.self) { _ = try members(of: badChecksumURL) }
        let notTarError = #expect(throws: TarError.self) { _ = try members(of: notTar) }
        let paxError = #expect(throws: TarError.self) { _ = try members(of: badPaxURL) }

        guard case .badChecksum(badChecksumURL.path, 1024, _, _) = checksumError else {
            Issue.record("expected a bad checksum at 1024, found \(String(describing: checksumError))")
            return
        }
        guard case .badHeaderField(notTar.path, 0, "checksum", _) = notTarError else {
            Issue.record("expected a bad checksum field at 0, found \(String(describing: notTarError))")
            return
        }
        guard case .malformedPaxHeader(badPaxURL.path, 0, _) = paxError else {
            Issue.record("expected a malformed pax header at 0, found \(String(describing: paxError))")
            return
        }
        #expect(throws: TarError.extensionWithoutMember(path: orphanURL.path, offset: 0)) { _ = try members(of: orphanURL) }
    }

    @Test func missingOrEmptyFileIsNamed() throws {
        let directory = try TemporaryDirectory()
        let absent = directory.url.appendingPathComponent("absent.tar")
        let empty = try directory.write([], named: "empty.tar")

        #expect(throws: TarError.missingFile(path: absent.path)) { try TarReader(contentsOf: absent) }
        let expected = "a 512-byte header or the end-of-archive block"
        #expect(throws: TarError.truncated(path: empty.path, offset: 0, expected: expected, fileSize: 0)) {
            _ = try members(of: empty)
        }
    }
}
