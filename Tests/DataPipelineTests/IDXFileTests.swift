import DataPipeline
import Foundation
import Testing

/// Reading single IDX files: the format, gzip sniffing, and every way a file can be malformed.
struct IDXFileTests {
    @Test func rawFileRoundTrips() throws {
        let directory = try TemporaryDirectory()
        let elements = countingBytes(2 * 3 * 4)
        let url = try directory.write(idxBytes(dimensions: [2, 3, 4], elements: elements), named: "images-idx3-ubyte")

        let file = try IDXFile.read(contentsOf: url)

        #expect(file.dimensions == [2, 3, 4])
        #expect(file.elements == elements)
    }

    @Test func gzipFileRoundTrips() throws {
        let directory = try TemporaryDirectory()
        let elements = countingBytes(5 * 7 * 3, startingAt: 200)
        let url = try directory.write(
            idxBytes(dimensions: [5, 7, 3], elements: elements), named: "images-idx3-ubyte.gz", storage: .gzip
        )

        let file = try IDXFile.read(contentsOf: url)

        #expect(file.dimensions == [5, 7, 3])
        #expect(file.elements == elements)
    }

    @Test func compressionIsSniffedFromTheBytesNotTheName() throws {
        let directory = try TemporaryDirectory()
        let labels: [UInt8] = [3, 1, 4, 1, 5]
        let bytes = idxBytes(dimensions: [5], elements: labels)
        let gzipWithoutSuffix = try directory.write(bytes, named: "labels-idx1-ubyte", storage: .gzip)
        let rawWithSuffix = try directory.write(bytes, named: "labels-idx1-ubyte.gz", storage: .raw)

        #expect(try IDXFile.read(contentsOf: gzipWithoutSuffix).elements == labels)
        #expect(try IDXFile.read(contentsOf: rawWithSuffix).elements == labels)
    }

    @Test func emptyArrayRoundTrips() throws {
        let directory = try TemporaryDirectory()
        let url = try directory.write(idxBytes(dimensions: [0, 28, 28], elements: []), named: "empty.gz", storage: .gzip)

        let file = try IDXFile.read(contentsOf: url)

        #expect(file.dimensions == [0, 28, 28])
        #expect(file.elements.isEmpty)
    }

    @Test func missingFileNamesThePath() throws {
        let directory = try TemporaryDirectory()
        let url = directory.url.appendingPathComponent("absent-idx1-ubyte.gz")

        let error = #expect(throws: IDXError.self) { try IDXFile.read(contentsOf: url) }

        #expect(error == .missingFile(path: url.path, suggestion: nil))
        #expect(error?.description.contains(url.path) == true)
    }

    @Test func truncatedFileNamesThePath() throws {
        let directory = try TemporaryDirectory()
        let url = try directory.write(
            idxBytes(dimensions: [2, 3, 4], elements: countingBytes(20)), named: "short-idx3-ubyte"
        )

        let error = #expect(throws: IDXError.self) { try IDXFile.read(contentsOf: url) }

        #expect(error == .truncatedData(path: url.path, dimensions: [2, 3, 4], expectedBytes: 24, foundBytes: 20))
        let message = try #require(error?.description)
        #expect(message.contains(url.path))
        #expect(message.contains("2×3×4 = 24 bytes, found 20"))
    }

    @Test func truncatedGzipNamesThePath() throws {
        let directory = try TemporaryDirectory()
        let whole = try directory.gzipBytes(idxBytes(dimensions: [64, 16, 16], elements: countingBytes(64 * 16 * 16)))
        let url = try directory.write(Array(whole.prefix(whole.count / 2)), named: "cut-idx3-ubyte.gz")

        let error = #expect(throws: IDXError.self) { try IDXFile.read(contentsOf: url) }

        guard case .truncatedGzip(let path, let compressedBytes, _) = error else {
            Issue.record("expected truncatedGzip, got \(String(describing: error))")
            return
        }
        #expect(path == url.path)
        #expect(compressedBytes == whole.count / 2)
        #expect(error?.description.contains(url.path) == true)
    }

    @Test func gzipWithWrongChecksumIsCorrupt() throws {
        let directory = try TemporaryDirectory()
        var bytes = try directory.gzipBytes(idxBytes(dimensions: [4], elements: [0, 1, 2, 3]))
        bytes[bytes.count - 8] ^= 0xff
        let url = try directory.write(bytes, named: "bad-crc-idx1-ubyte.gz")

        let error = #expect(throws: IDXError.self) { try IDXFile.read(contentsOf: url) }

        guard case .corruptGzip(let path, _) = error else {
            Issue.record("expected corruptGzip, got \(String(describing: error))")
            return
        }
        #expect(path == url.path)
    }

    @Test func badMagicNamesThePathAndTheBytesFound() throws {
        let directory = try TemporaryDirectory()
        let url = try directory.write([0x50, 0x4b, 0x03, 0x04, 0, 0, 0, 0], named: "archive.zip")

        let error = #expect(throws: IDXError.self) { try IDXFile.read(contentsOf: url) }

        #expect(error == .badMagic(path: url.path, found: [0x50, 0x4b]))
        let message = try #require(error?.description)
        #expect(message.contains(url.path))
        #expect(message.contains("expected magic bytes 00 00, found 50 4b"))
    }

    @Test func emptyFileHasBadMagic() throws {
        let directory = try TemporaryDirectory()
        let url = try directory.write([], named: "empty-idx1-ubyte")

        let error = #expect(throws: IDXError.self) { try IDXFile.read(contentsOf: url) }

        #expect(error == .badMagic(path: url.path, found: []))
        #expect(error?.description.contains("empty file") == true)
    }

    @Test func unsupportedElementTypeNamesTheTypeFound() throws {
        let directory = try TemporaryDirectory()
        let url = try directory.write(
            idxBytes(dimensions: [1], elements: [0, 0, 0x80, 0x3f], elementType: 0x0D), named: "floats-idx1"
        )

        let error = #expect(throws: IDXError.self) { try IDXFile.read(contentsOf: url) }

        #expect(error == .unsupportedElementType(path: url.path, code: 0x0D))
        let message = try #require(error?.description)
        #expect(message.contains("expected 0x08 (unsigned byte), found 0d (32-bit float)"))
    }

    @Test func truncatedHeaderIsReported() throws {
        let directory = try TemporaryDirectory()
        let url = try directory.write(Array(idxBytes(dimensions: [2, 3, 4], elements: []).prefix(9)), named: "header")

        let error = #expect(throws: IDXError.self) { try IDXFile.read(contentsOf: url) }

        #expect(error == .truncatedHeader(path: url.path, rank: 3, expectedBytes: 16, foundBytes: 9))
    }

    @Test func trailingBytesAreReported() throws {
        let directory = try TemporaryDirectory()
        let url = try directory.write(idxBytes(dimensions: [3], elements: [1, 2, 3, 4]), named: "long-idx1-ubyte")

        let error = #expect(throws: IDXError.self) { try IDXFile.read(contentsOf: url) }

        #expect(error == .trailingData(path: url.path, dimensions: [3], expectedBytes: 3, foundBytes: 4))
    }
}
