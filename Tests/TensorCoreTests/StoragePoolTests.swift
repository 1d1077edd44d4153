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

    /// The bound on idle bytes is twice the peak of live bytes; past it, the block released longest ago goes.
    @Test func idleBytesStayWithinTheirBoundByEvictingTheOldest() {
        #expect(StoragePool.idleBoundFactor == 2, "the sizes below are chosen for a bound of twice the peak")
        let pool = StoragePool()
        var blocks: [Int: UnsafeMutableRawPointer] = [:]
        for size in [2 << 20, 1 << 20, 3 << 19] {  // one at a time: peak live 2 MiB, bound 4 MiB
            blocks[size] = pool.allocate(byteCount: size)
            pool.release(blocks[size]!, byteCount: size)
        }
        #expect(pool.cachedByteCount == 5 << 19, "2 + 1 + 1.5 MiB exceeds 4 MiB: the 2 MiB block, oldest, went")
        let mapped = pool.mappedBlockCount
        #expect(pool.allocate(byteCount: 1 << 20) == blocks[1 << 20], "a newer block stayed")
        _ = pool.allocate(byteCount: 2 << 20)
        #expect(pool.mappedBlockCount == mapped + 1, "the evicted size is mapped afresh")
    }

    /// A step's sizes, repeated after larger blocks that only warm-up used, reuse their blocks from the second step
    /// on: the stale blocks are evicted, not each step's.
    @Test func aRepeatedStepMapsNothingNewAfterStaleWarmUpBlocks() {
        let pool = StoragePool()
        for size in [8 << 20, 9 << 20, 10 << 20] {  // peak live 10 MiB, bound 20 MiB: the 8 MiB block goes
            pool.release(pool.allocate(byteCount: size), byteCount: size)
        }
        var mappedAfterStep: [Int] = []
        for _ in 0..<3 {
            let blocks = (0..<3).map { _ in pool.allocate(byteCount: 2 << 20) }
            for block in blocks { pool.release(block, byteCount: 2 << 20) }
            mappedAfterStep.append(pool.mappedBlockCount)
        }
        #expect(mappedAfterStep == [6, 6, 6], "three warm-up blocks, then the step's three once")
        #expect(pool.cachedByteCount == 16 << 20, "the 9 MiB block was evicted for them; 10 + 3 × 2 MiB stay")
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
