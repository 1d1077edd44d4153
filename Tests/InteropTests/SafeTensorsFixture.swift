import Foundation
import Interop
import Testing

/// A fresh directory under the system's temporary directory, removed when the value is released.
///
/// Why: each test writes real files, so reading goes through the same mapping
/// path as production, and tests running in parallel never share a file.
final class TemporaryDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("InteropTests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(at: url)
    }

    /// The URL of `name` inside this directory.
    func file(_ name: String) -> URL {
        url.appendingPathComponent(name)
    }

    /// The names of the files in this directory, sorted.
    func contents() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: url.path).sorted()
    }
}

/// Builds safetensors bytes exactly as the format describes them, for tests that must not go through the writer.
///
/// Shapes: 8-byte little-endian header length, the header's UTF-8 bytes
/// followed by `padding` spaces, then `data`.
func safeTensorsBytes(header: String, padding: Int = 0, data: [UInt8] = []) -> [UInt8] {
    let headerBytes = Array(header.utf8) + [UInt8](repeating: UInt8(ascii: " "), count: padding)
    return littleEndianBytes(UInt64(headerBytes.count)) + headerBytes + data
}

/// The little-endian bytes of `value`.
func littleEndianBytes<Value: FixedWidthInteger>(_ value: Value) -> [UInt8] {
    withUnsafeBytes(of: value.littleEndian) { Array($0) }
}

/// The little-endian bytes of each float in `values`, as an F32 tensor stores them.
func float32Bytes(_ values: [Float]) -> [UInt8] {
    values.flatMap { littleEndianBytes($0.bitPattern) }
}

/// Writes `bytes` to a file in `directory` and returns the error reading it throws, failing the test if it reads.
///
/// Why a helper: every malformed-file test checks the same two things, the
/// error case and that its message names the file.
func readFailure(_ bytes: [UInt8], in directory: TemporaryDirectory,
                 sourceLocation: SourceLocation = #_sourceLocation) throws -> (error: SafeTensorsError, path: String) {
    let url = directory.file("bad.safetensors")
    try Data(bytes).write(to: url)
    do {
        _ = try SafeTensors(contentsOf: url)
    } catch {
        #expect(error.description.contains(url.path), "message does not name the file: \(error)",
                sourceLocation: sourceLocation)
        return (error, url.path)
    }
    throw UnexpectedSuccess()
}

/// Thrown by `readFailure` when a file that should be rejected reads without error.
struct UnexpectedSuccess: Error, CustomStringConvertible {
    var description: String { "reading the malformed file succeeded" }
}
