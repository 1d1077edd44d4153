import Distributed
import Foundation

/// Rank 0 of `worldSize` where every other rank holds this rank's values plus 1; records what it was asked to do.
///
/// So a float32 sum of v is worldSize v + worldSize - 1 and an average is v + (worldSize - 1) / worldSize: a
/// missing division, a missing copy and a gradient copied to the wrong place all show. Sums of other types, max
/// and min leave the buffer as is; an all-gather repeats this rank's values; a broadcast changes nothing. The
/// closed forms of `CollectiveCheck`, which give each rank different values, do not hold here.
final class FakeCommunicator: Communicator, @unchecked Sendable {
    let worldSize: Int
    var rank: Int { 0 }
    /// The lengths of the all-reduces started, in order (guarded by `lock`).
    private var started: [Int] = []
    private let lock = NSLock()

    init(worldSize: Int) {
        self.worldSize = worldSize
    }

    var startedLengths: [Int] { lock.withLock { started } }

    func allReduce<Element: CommunicatorElement>(
        _ buffer: UnsafeMutableBufferPointer<Element>, _ operation: ReductionOperation
    ) throws {
        try startAllReduce(buffer, operation).wait()
    }

    func startAllReduce<Element: CommunicatorElement>(
        _ buffer: UnsafeMutableBufferPointer<Element>, _ operation: ReductionOperation
    ) throws -> any PendingCollective {
        lock.withLock { started.append(buffer.count) }
        return Pending { [worldSize] in
            guard operation == .sum, let floats = buffer as? UnsafeMutableBufferPointer<Float> else { return }
            for index in floats.indices { floats[index] = floats[index] * Float(worldSize) + Float(worldSize - 1) }
        }
    }

    func broadcast<Element: CommunicatorElement>(_ buffer: UnsafeMutableBufferPointer<Element>, from root: Int) throws {}

    func allGather<Element: CommunicatorElement>(_ values: [Element]) throws -> [[Element]] {
        [[Element]](repeating: values, count: worldSize)
    }

    func barrier() throws {}

    func finalize() throws {}

    func abort(_ message: String) -> Never {
        fatalError(message)
    }

    /// Applies the reduction when waited for, as a real transport writes the result only by then.
    final class Pending: PendingCollective {
        private var reduce: (() -> Void)?

        init(_ reduce: @escaping () -> Void) {
            self.reduce = reduce
        }

        func test() throws -> Bool { reduce == nil }

        func wait() throws {
            reduce?()
            reduce = nil
        }
    }
}
