import Foundation

/// The communicator of a job with one process: rank 0 of 1, where every collective is the identity.
///
/// Why it exists: a trainer written against `Communicator` runs without `mpirun`
/// through this, with no branches of its own for the single-process case.
public struct SingleProcessCommunicator: Communicator {
    public init() {}

    public var rank: Int { 0 }
    public var worldSize: Int { 1 }

    public func allReduce<Element: CommunicatorElement>(
        _ buffer: UnsafeMutableBufferPointer<Element>, _ operation: ReductionOperation
    ) throws {}

    public func startAllReduce<Element: CommunicatorElement>(
        _ buffer: UnsafeMutableBufferPointer<Element>, _ operation: ReductionOperation
    ) throws -> any PendingCollective {
        CompletedCollective()
    }

    public func broadcast<Element: CommunicatorElement>(_ buffer: UnsafeMutableBufferPointer<Element>, from root: Int) throws {
        precondition(root == 0, "broadcast from rank \(root), but a single-process job has only rank 0")
    }

    public func allGather<Element: CommunicatorElement>(_ values: [Element]) throws -> [[Element]] {
        [values]
    }

    public func barrier() throws {}

    public func finalize() throws {}

    public func abort(_ message: String) -> Never {
        FileHandle.standardError.write(Data("\(rankDescription): \(message)\n".utf8))
        exit(EXIT_FAILURE)
    }
}
