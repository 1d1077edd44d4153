/// The collectives data-parallel training needs, over the ranks of one job: all-reduce, broadcast, all-gather, barrier.
///
/// Every rank calls the same collectives in the same order with buffers of the same
/// length (a broadcast's receivers included); that is MPI's contract and it is this
/// protocol's too. Buffers are reduced in place. `SingleProcessCommunicator` is the
/// one-rank case where every collective is the identity, so a trainer written against
/// this protocol runs unchanged with and without `mpirun`.
///
/// Why a protocol: the trainer, the samplers and SyncBN see only this; whether the
/// bytes move through Open MPI (on one machine or many) is chosen once, at start, by
/// `DistributedLaunch`.
public protocol Communicator: Sendable {
    /// This process's index, 0 ..< worldSize; rank 0 writes logs, checkpoints and reports.
    var rank: Int { get }
    /// How many ranks the job has.
    var worldSize: Int { get }

    /// Reduces `buffer` elementwise across all ranks, in place; every rank ends with the result.
    func allReduce<Element: CommunicatorElement>(
        _ buffer: UnsafeMutableBufferPointer<Element>, _ operation: ReductionOperation
    ) throws

    /// Starts `allReduce` and returns at once; `buffer` must stay alive and untouched until the handle's `wait()` returns.
    ///
    /// This is what gradient buckets use to overlap communication with the rest of backward.
    func startAllReduce<Element: CommunicatorElement>(
        _ buffer: UnsafeMutableBufferPointer<Element>, _ operation: ReductionOperation
    ) throws -> any PendingCollective

    /// Copies `buffer` on rank `root` into `buffer` on every other rank.
    func broadcast<Element: CommunicatorElement>(_ buffer: UnsafeMutableBufferPointer<Element>, from root: Int) throws

    /// Every rank's `values`, indexed by rank; every rank passes the same count.
    func allGather<Element: CommunicatorElement>(_ values: [Element]) throws -> [[Element]]

    /// Returns once every rank has called it.
    func barrier() throws

    /// Ends this rank's part in the job: waits (within any timeout) for every rank to get here, then releases the transport.
    func finalize() throws

    /// Ends the whole job (every rank) after printing `message`, prefixed with this rank, to standard error.
    func abort(_ message: String) -> Never
}

/// How `allReduce` combines the ranks' values, element by element.
public enum ReductionOperation: String, Sendable, CaseIterable {
    case sum, max, min
}

/// A collective that was started and may still be running: the handle `startAllReduce` returns.
public protocol PendingCollective: AnyObject {
    /// Whether the collective has completed; lets the transport progress (MPI moves bytes only inside its calls).
    func test() throws -> Bool
    /// Blocks until the collective has completed; afterwards the buffer holds the result.
    func wait() throws
}

/// A collective that completed before it was returned: the single-process case.
public final class CompletedCollective: PendingCollective {
    public init() {}
    public func test() throws -> Bool { true }
    public func wait() throws {}
}

extension Communicator {
    /// `allReduce` on an array.
    public func allReduce<Element: CommunicatorElement>(_ values: inout [Element], _ operation: ReductionOperation) throws {
        try values.withUnsafeMutableBufferPointer { try allReduce($0, operation) }
    }

    /// `broadcast` on an array; every rank passes an array of the root's length.
    public func broadcast<Element: CommunicatorElement>(_ values: inout [Element], from root: Int) throws {
        try values.withUnsafeMutableBufferPointer { try broadcast($0, from: root) }
    }

    /// The root's `text` on every rank, whatever the others pass: its length is broadcast first.
    ///
    /// For the recipe text, so that every rank trains exactly what rank 0 read.
    public func broadcast(_ text: String, from root: Int) throws -> String {
        var length = [Int64(rank == root ? text.utf8.count : 0)]
        try broadcast(&length, from: root)
        var bytes = rank == root ? Array(text.utf8) : [UInt8](repeating: 0, count: Int(length[0]))
        try broadcast(&bytes, from: root)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// "rank 2 of 4", the prefix of every message that one rank prints about the job.
    public var rankDescription: String { "rank \(rank) of \(worldSize)" }
}
