#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A regular file mapped read-only into memory for as long as this object lives.
///
/// Shapes: `bytes` is the whole file, `count` bytes from its first. Why map
/// instead of read: the tensor bytes are copied once, from the page cache
/// straight into each tensor's storage, without a second file-sized buffer.
final class MappedFile {
    let bytes: UnsafeRawBufferPointer

    /// Opens and maps the file at `path`.
    init(path: String) throws(SafeTensorsError) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .unreadable(path: path, reason: Self.systemError()) }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw .unreadable(path: path, reason: Self.systemError()) }
        guard (status.st_mode & S_IFMT) == S_IFREG else {
            throw .unreadable(path: path, reason: "not a regular file")
        }
        let byteCount = Int(status.st_size)
        guard byteCount > 0 else {
            bytes = UnsafeRawBufferPointer(start: nil, count: 0)
            return
        }
        let address = mmap(nil, byteCount, PROT_READ, MAP_PRIVATE, descriptor, 0)
        guard let address, address != UnsafeMutableRawPointer(bitPattern: -1) else {
            throw .unreadable(path: path, reason: Self.systemError())
        }
        bytes = UnsafeRawBufferPointer(start: address, count: byteCount)
    }

    deinit {
        if let start = bytes.baseAddress {
            munmap(UnsafeMutableRawPointer(mutating: start), bytes.count)
        }
    }

    /// The message for the current `errno`.
    static func systemError() -> String {
        String(cString: strerror(errno))
    }
}
