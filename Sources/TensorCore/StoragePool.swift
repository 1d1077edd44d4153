#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// Reuses large tensor buffers by size, so a training step allocates nothing new after its first iterations.
///
/// Shapes: blocks of at least `minimumPooledBytes`, sized up to a multiple of
/// `granularity`, mapped with `mmap` and kept on a free list per size when their
/// tensor dies. Why: a step frees and re-allocates the same sizes every iteration;
/// fresh pages cost a page fault and a kernel zero-fill each, and glibc's heap
/// (with trimming off to avoid that) keeps a high-water mark far above the live
/// bytes. Idle (cached) bytes never exceed the most pooled bytes ever live at
/// once; a block that would go past that bound is unmapped instead.
final class StoragePool: Sendable {
    static let shared = StoragePool()

    /// Buffers smaller than this come from malloc.
    static let minimumPooledBytes = 1 << 20
    /// Pooled sizes are rounded up to this.
    static let granularity = 1 << 16

    private struct State {
        /// Addresses of idle blocks by block size.
        var free: [Int: [UInt]] = [:]
        var cachedBytes = 0
        var liveBytes = 0
        var peakLiveBytes = 0
    }

    private let state = Mutex(State())

    /// Bytes held in idle blocks.
    var cachedByteCount: Int { state.withLock { $0.cachedBytes } }

    /// The size a pooled block for `byteCount` bytes has.
    static func blockSize(_ byteCount: Int) -> Int {
        (byteCount + granularity - 1) / granularity * granularity
    }

    /// A block of `blockSize(byteCount)` bytes, page-aligned, contents unspecified.
    func allocate(byteCount: Int) -> UnsafeMutableRawPointer {
        let size = Self.blockSize(byteCount)
        let reused: UInt? = state.withLock { state in
            state.liveBytes += size
            state.peakLiveBytes = max(state.peakLiveBytes, state.liveBytes)
            guard let block = state.free[size]?.popLast() else { return nil }
            state.cachedBytes -= size
            return block
        }
        if let reused, let block = UnsafeMutableRawPointer(bitPattern: reused) { return block }
        guard let mapped = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
              mapped != MAP_FAILED else {
            fatalError("out of memory: could not map \(size) bytes for a tensor")
        }
        return mapped
    }

    /// Returns a block from `allocate`; kept for reuse while the cache stays below the peak of live bytes.
    func release(_ block: UnsafeMutableRawPointer, byteCount: Int) {
        let size = Self.blockSize(byteCount)
        let address = UInt(bitPattern: block)
        let keeps = state.withLock { state in
            state.liveBytes -= size
            guard state.cachedBytes + size <= state.peakLiveBytes else { return false }
            state.cachedBytes += size
            state.free[size, default: []].append(address)
            return true
        }
        if !keeps { munmap(block, size) }
    }
}
