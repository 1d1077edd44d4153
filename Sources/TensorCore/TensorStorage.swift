#if canImport(Glibc)
import Glibc
#endif

/// A 64-byte-aligned block of memory that owns the bytes of one or more tensors, zeroed unless a kernel will overwrite it.
///
/// Concurrency: storage is written by the kernel that produces it, and parameters'
/// storage by the optimizer, all on the one thread that drives training; other
/// threads (data loading) never see it. That invariant is why it is `@unchecked Sendable`.
public final class TensorStorage: @unchecked Sendable {
    public let byteCount: Int
    public let pointer: UnsafeMutableRawPointer

    public init(byteCount: Int, zeroed: Bool = true) {
        precondition(byteCount >= 0)
        self.byteCount = byteCount
        let size = max(byteCount, 64)
        if size >= StoragePool.minimumPooledBytes {
            pointer = StoragePool.shared.allocate(byteCount: size)
        } else {
            pointer = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 64)
        }
        if zeroed { pointer.initializeMemory(as: UInt8.self, repeating: 0, count: size) }
    }

    deinit {
        let size = max(byteCount, 64)
        if size >= StoragePool.minimumPooledBytes {
            StoragePool.shared.release(pointer, byteCount: size)
        } else {
            pointer.deallocate()
        }
    }

    /// The bytes viewed as `count` elements of `type`.
    public func buffer<Element>(as type: Element.Type, count: Int) -> UnsafeMutableBufferPointer<Element> {
        precondition(count * MemoryLayout<Element>.stride <= max(byteCount, 64))
        return UnsafeMutableBufferPointer(start: pointer.assumingMemoryBound(to: type), count: count)
    }

    /// A new storage with the same bytes.
    public func copy() -> TensorStorage {
        let result = TensorStorage(byteCount: byteCount)
        result.pointer.copyMemory(from: pointer, byteCount: byteCount)
        return result
    }
}
