@testable import TensorCore
import Testing

/// The pool of large tensor buffers: reuse by size, rounding, the bound on idle memory, zeroing on reuse.
struct StoragePoolTests {
    @Test func aReleasedBlockIsHandedOutAgainForTheSameSize() {
        let pool = StoragePool()
        let first = pool.allocate(byteCount: 3 << 20)
        pool.release(first, byteCount: 3 << 20)
        #expect(pool.cachedByteCount == 3 << 20)
        let second = pool.allocate(byteCount: (3 << 20) - 100)
        #expect(second == first, "a request rounding to the same block size reuses the idle block")
        #expect(pool.cachedByteCount == 0)
        let other = pool.allocate(byteCount: 5 << 20)
        #expect(other != first)
        pool.release(second, byteCount: 3 << 20)
        pool.release(other, byteCount: 5 << 20)
    }

    @Test func sizesRoundUpToTheGranularity() {
        #expect(StoragePool.blockSize(1 << 20) == 1 << 20)
        #expect(StoragePool.blockSize((1 << 20) + 1) == (1 << 20) + (1 << 16))
    }

    @Test func idleBytesNeverExceedThePeakOfLiveBytes() {
        let pool = StoragePool()
        let small = pool.allocate(byteCount: 1 << 20)
        pool.release(small, byteCount: 1 << 20)
        let large = pool.allocate(byteCount: 2 << 20)
        pool.release(large, byteCount: 2 << 20)
        // Peak live was 2 MiB: keeping both idle blocks (3 MiB) would exceed it, so the large one is unmapped.
        #expect(pool.cachedByteCount == 1 << 20)
    }

    @Test func aZeroedStorageIsZeroEvenWhenItsBlockIsReused() {
        let count = (2 << 20) / 4
        do {
            let dirty = TensorStorage(byteCount: count * 4, zeroed: false)
            dirty.buffer(as: Float.self, count: count).update(repeating: 7)
        }
        let clean = TensorStorage(byteCount: count * 4)
        #expect(clean.buffer(as: Float.self, count: count).allSatisfy { $0 == 0 })
    }
}
