import CZlib
import Foundation

/// A fresh directory under the system's temporary folder, removed when the value is released.
///
/// Tests write small IDX fixtures here, raw or gzip-compressed, so each test
/// works on its own files and parallel tests never collide.
final class TemporaryDirectory {
    /// How a fixture's bytes are stored on disk.
    enum Storage {
        /// The bytes as given.
        case raw
        /// The bytes compressed by zlib's gzip writer, as `gzip` would store them.
        case gzip
    }

    /// Why a fixture could not be written.
    struct FixtureError: Error, CustomStringConvertible {
        /// What failed, naming the file.
        let description: String
    }

    /// The directory's location.
    let url: URL

    /// Creates an empty, uniquely named directory.
    init() throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("hone-datapipeline-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(at: url)
    }

    /// Writes `bytes` to a file called `name` in this directory and returns its URL.
    ///
    /// gzip files go through zlib's own `gzopen`/`gzwrite`, an encoder independent
    /// of the reader under test.
    @discardableResult
    func write(_ bytes: [UInt8], named name: String, storage: Storage = .raw) throws -> URL {
        let fileURL = url.appendingPathComponent(name)
        switch storage {
        case .raw:
            try Data(bytes).write(to: fileURL)
        case .gzip:
            guard let file = gzopen(fileURL.path, "wb") else {
                throw FixtureError(description: "gzopen could not create \(fileURL.path)")
            }
            let written = bytes.withUnsafeBytes { buffer in
                buffer.isEmpty ? 0 : gzwrite(file, buffer.baseAddress, UInt32(buffer.count))
            }
            let closeStatus = gzclose(file)
            guard Int(written) == bytes.count, closeStatus == Z_OK else {
                throw FixtureError(
                    description: "gzwrite stored \(written) of \(bytes.count) bytes in \(fileURL.path), close status \(closeStatus)"
                )
            }
        }
        return fileURL
    }

    /// The bytes of a gzip stream holding `bytes`, made with zlib's gzip writer.
    func gzipBytes(_ bytes: [UInt8]) throws -> [UInt8] {
        let fileURL = try write(bytes, named: "scratch-\(UUID().uuidString).gz", storage: .gzip)
        return [UInt8](try Data(contentsOf: fileURL))
    }
}
