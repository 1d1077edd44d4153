import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Replaces a file so that a crash at any moment leaves either the complete old file or the complete new one.
///
/// The bytes go to a temporary file in the destination's directory, which is
/// flushed to disk (`fsync`) and then renamed over the destination; a rename
/// within one file system is atomic. Why: a checkpoint half-written when the
/// machine dies must not destroy the last good one.
enum AtomicFile {
    /// Where the bytes of the file being written go.
    ///
    /// Why it records its first failure instead of throwing: callers hand it
    /// buffers from inside `withUnsafeBytes` closures, and `write(to:body:)`
    /// reports the failure once everything has been offered.
    struct Sink {
        fileprivate let descriptor: Int32
        fileprivate private(set) var failure: String?

        /// Appends `bytes` to the file, retrying short and interrupted writes.
        mutating func append(_ bytes: UnsafeRawBufferPointer) {
            guard failure == nil, var start = bytes.baseAddress else { return }
            var remaining = bytes.count
            while remaining > 0 {
                let written = writeBytes(descriptor, start, remaining)
                if written < 0 {
                    if errno == EINTR { continue }
                    failure = "write: \(MappedFile.systemError())"
                    return
                }
                start += written
                remaining -= written
            }
        }
    }

    /// Writes the file at `url` with the bytes `body` appends to its sink, replacing any file there.
    ///
    /// On failure the temporary file is removed and the destination is untouched.
    static func write(to url: URL, body: (inout Sink) -> Void) throws(SafeTensorsError) {
        let path = url.path
        let directory = url.deletingLastPathComponent().path
        let suffix = String(UInt64.random(in: 0...UInt64.max), radix: 16)
        let temporaryPath = directory + "/." + url.lastPathComponent + ".\(getpid()).\(suffix).tmp"

        let descriptor = open(temporaryPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw .writeFailed(path: path, reason: "cannot create \(temporaryPath): \(MappedFile.systemError())")
        }
        var sink = Sink(descriptor: descriptor)
        body(&sink)
        var failure = sink.failure
        if failure == nil, fsync(descriptor) != 0 { failure = "fsync: \(MappedFile.systemError())" }
        if close(descriptor) != 0, failure == nil { failure = "close: \(MappedFile.systemError())" }
        if failure == nil, rename(temporaryPath, path) != 0 {
            failure = "rename from \(temporaryPath): \(MappedFile.systemError())"
        }
        if let failure {
            unlink(temporaryPath)
            throw .writeFailed(path: path, reason: failure)
        }
        synchronizeDirectory(directory)
    }

    /// Flushes `directory`'s entries so the rename itself survives a crash; best effort.
    ///
    /// Why best effort: some file systems refuse `fsync` on directories, and by now
    /// either the old or the new file is intact whatever happens.
    private static func synchronizeDirectory(_ directory: String) {
        let descriptor = open(directory, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        _ = fsync(descriptor)
        close(descriptor)
    }
}

/// The C library's `write(2)`, named apart from `AtomicFile.write(to:body:)`.
private func writeBytes(_ descriptor: Int32, _ start: UnsafeRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
    Glibc.write(descriptor, start, count)
    #else
    Darwin.write(descriptor, start, count)
    #endif
}
