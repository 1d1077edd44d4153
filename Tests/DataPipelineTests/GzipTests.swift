import DataPipeline
import Testing

/// In-memory gzip inflation, independent of any file format.
struct GzipTests {
    @Test func inflatesWhatZlibsGzipWriterWrote() throws {
        let directory = try TemporaryDirectory()
        let payload = countingBytes(300_000, startingAt: 7)
        let compressed = try directory.gzipBytes(payload)

        #expect(Gzip.isCompressed(compressed))
        #expect(try Gzip.decompress(compressed) == payload)
    }

    @Test func concatenatedMembersInflateInOrder() throws {
        let directory = try TemporaryDirectory()
        let first = countingBytes(1000)
        let second = countingBytes(2500, startingAt: 99)
        let compressed = try directory.gzipBytes(first) + directory.gzipBytes(second)

        #expect(try Gzip.decompress(compressed) == first + second)
    }

    @Test func rawIDXBytesAreNotMistakenForGzip() {
        #expect(!Gzip.isCompressed(idxBytes(dimensions: [1], elements: [0x1f])))
        #expect(!Gzip.isCompressed([0x1f]))
    }

    @Test func emptyInputIsTruncated() {
        #expect(throws: GzipError.truncated(compressedBytes: 0, inflatedBytes: 0)) {
            try Gzip.decompress([])
        }
    }
}
