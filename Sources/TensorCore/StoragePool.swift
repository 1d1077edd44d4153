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
/// bytes. Idle (cached) bytes never exceed `idleBoundFactor` times the most pooled
/// bytes ever live at once: a step's distinct blocks add up to more than its peak
/// of live ones, since the forward pass's activations die while the backward pass's
/// gradients are born in other sizes. A released block that would go past the bound
/// evicts the least recently released idle blocks first, so sizes a step still uses
/// stay and sizes only warm-up, an evaluation or the SGEMM probe used go.
/// Measured on an AVX2 machine: with a bound of 1x that unmapped the released block
/// instead, ResNet-50 (batch 32) faulted in ~530 MB of fresh pages a step and the
/// Fashion-MNIST model 38 MB; with 2x and LRU eviction neither maps anything after
/// warm-up (strace), and their training steps' peak RSS is unchanged (3512 and
/// 197 MiB). The cost: the default recipe's peak RSS rose from 350 to 427 MiB, as
/// evaluation at batch 500 maps its own sizes while the training blocks stay idle.
final class StoragePool: Sendable {
    static let shared = StoragePool()

    /// Buffers smaller than this come from malloc.
    static let minimumPooledBytes = 1 << 20
    /// Pooled sizes are rounded up to this.
    static let granularity = 1 << 16
    /// Idle bytes stay within this multiple of the peak of live bytes.
    static let idleBoundFactor = 2

    /// An idle block and when it was released (a counter), for least-recently-released eviction.
    private struct IdleBlock {
        var address: UInt
        var releasedAt: UInt64
    }

    private struct State {
        /// Idle blocks by block size, oldest release first.
        var free: [Int: [IdleBlock]] = [:]
        var releases: UInt64 = 0
        var mappedBlocks = 0
        var cachedBytes = 0
        var liveBytes = 0
        var peakLiveBytes = 0

        /// Removes the idle block released longest ago; nil when none is idle.
        mutating func evictOldest() -> (address: UInt, size: Int)? {
            guard let size = free.filter({ !$0.value.isEmpty })
                .min(by: { $0.value[0].releasedAt < $1.value[0].releasedAt })?.key
            else { return nil }
            let block = free[size]!.removeFirst()
            cachedBytes -= size
            return (block.address, size)
        }
    }

    private let state = Mutex(State())

    /// Bytes held in idle blocks.
    var cachedByteCount: Int { state.withLock { $0.cachedBytes } }

    /// How many blocks were mapped afresh so far (each one page-faults in on first touch).
    var mappedBlockCount: Int { state.withLock { $0.mappedBlocks } }

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
            guard let block = state.free[size]?.popLast() else {
                state.mappedBlocks += 1
                return nil
            }
            state.cachedBytes -= size
            return block.address
        }
        if let reused, let block = UnsafeMutableRawPointer(bitPattern: reused) { return block }
        guard let mapped = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
              mapped != MAP_FAILED else {
            fatalError("out of memory: could not map \(size) bytes for a tensor")
        }
        return mapped
    }

    /// Returns a block from `allocate`; it stays idle for reuse, evicting older idle blocks to keep the bound.
    func release(_ block: UnsafeMutableRawPointer, byteCount: Int) {
        let size = Self.blockSize(byteCount)
        let evicted: [(address: UInt, size: Int)] = state.withLock { state in
            state.liveBytes -= size
            var evicted: [(address: UInt, size: Int)] = []
            while state.cachedBytes + size > Self.idleBoundFactor * state.peakLiveBytes, let oldest = state.evictOldest() {
                evicted.append(oldest)
            }
            state.releases += 1
            state.cachedBytes += size
            state.free[size, default: []].append(IdleBlock(address: UInt(bitPattern: block), releasedAt: state.releases))
            return evicted
        }
        for (address, size) in evicted {
            munmap(UnsafeMutableRawPointer(bitPattern: address), size)
        }
    }
}
