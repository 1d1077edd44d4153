import CMPI
@preconcurrency import Glibc
import Foundation

/// The ranks `mpirun` or `srun` started, through Open MPI; every collective ends within `timeout` or ends the job.
///
/// Every collective runs as MPI's non-blocking form (MPI_Iallreduce, MPI_Ibcast,
/// MPI_Iallgather, MPI_Ibarrier) polled with MPI_Test. When `timeout` passes first, a
/// peer died or hangs: this rank prints which rank it is, what it waited for and for
/// how long, and calls MPI_Abort, which ends every rank of the job — never an endless
/// hang. A failed MPI call throws `CommunicatorError.mpi` naming the call and the rank
/// (the communicator returns errors instead of aborting on them).
///
/// Threads: MPI is initialized asking for MPI_THREAD_SERIALIZED and every MPI call here
/// holds `lock`, so any thread may call. When the library provides only
/// MPI_THREAD_FUNNELED, calls must come from the thread that created the
/// communicator, which is checked. OpenMP compute threads never call MPI.
///
/// Progress: Open MPI moves the bytes of a non-blocking collective only inside MPI
/// calls. A started all-reduce advances when `test()`, `wait()` or another collective
/// runs; overlapping it with backward needs `test()` between layers.
///
/// One per process: MPI can be initialized once, and `finalize()` ends it for good.
public final class MPICommunicator: Communicator, @unchecked Sendable {
    /// How long a collective may wait for its peers before the job is aborted, unless set otherwise.
    public static let defaultTimeout: Duration = .seconds(300)

    /// The Open MPI setting that picks MPI_Iallreduce's algorithm, which `init` sets to 1 (ring) unless it is set.
    ///
    /// Open MPI's non-blocking collectives (libnbc) use a binomial tree for an in-place
    /// all-reduce or one on fewer than 4 ranks: every byte goes up to rank 0 and back
    /// down. The ring sends each byte 2(n - 1)/n times, as the blocking MPI_Allreduce
    /// does: 100 MB on 2 ranks here took ~86 ms instead of ~190-220 ms. On hundreds of
    /// ranks, 3 (reduce-scatter + all-gather) takes fewer steps; `mpirun --mca
    /// coll_libnbc_iallreduce_algorithm 3` or the variable set before start chooses it.
    public static let iallreduceAlgorithmVariable = "OMPI_MCA_coll_libnbc_iallreduce_algorithm"

    public let rank: Int
    public let worldSize: Int
    /// The library's name and version, e.g. "Open MPI v4.1.4".
    public let libraryVersion: String
    /// The thread support MPI provided.
    public let threadLevel: ThreadLevel

    /// Guards every MPI call and the mutable state below (the invariant behind `@unchecked Sendable`).
    private let lock = NSLock()
    private var communicator: MPI_Comm?
    private var finalized = false
    private var storedTimeout: Duration
    private let ownsInitialization: Bool
    private let initializingThread = pthread_self()

    /// Initializes MPI (unless something in this process already did) and duplicates MPI_COMM_WORLD for Hone's traffic.
    public init(timeout: Duration = MPICommunicator.defaultTimeout) throws {
        precondition(timeout > .zero, "the collective timeout must be positive, got \(timeout)")
        storedTimeout = timeout
        var initialized: Int32 = 0
        var finalizedAlready: Int32 = 0
        MPI_Initialized(&initialized)
        MPI_Finalized(&finalizedAlready)
        if finalizedAlready != 0 { throw CommunicatorError.finalizedAlready }
        var provided: Int32 = 0
        if initialized == 0 {
            setenv(Self.iallreduceAlgorithmVariable, "1", 0)
            try Self.check(MPI_Init_thread(nil, nil, Int32(MPI_THREAD_SERIALIZED), &provided), "MPI_Init_thread", rank: nil)
            ownsInitialization = true
        } else {
            try Self.check(MPI_Query_thread(&provided), "MPI_Query_thread", rank: nil)
            ownsInitialization = false
        }
        threadLevel = ThreadLevel(rawValue: Int(provided)) ?? .single
        guard threadLevel >= .funneled else {
            if ownsInitialization { MPI_Finalize() }
            throw CommunicatorError.threadSupport(provided: threadLevel)
        }

        var duplicate: MPI_Comm?
        try Self.check(MPI_Comm_dup(cmpi_comm_world(), &duplicate), "MPI_Comm_dup", rank: nil)
        try Self.check(MPI_Comm_set_errhandler(duplicate, cmpi_errors_return()), "MPI_Comm_set_errhandler", rank: nil)
        var rank: Int32 = 0
        var size: Int32 = 0
        try Self.check(MPI_Comm_rank(duplicate, &rank), "MPI_Comm_rank", rank: nil)
        try Self.check(MPI_Comm_size(duplicate, &size), "MPI_Comm_size", rank: Int(rank))
        communicator = duplicate
        self.rank = Int(rank)
        worldSize = Int(size)
        libraryVersion = Self.readLibraryVersion()
    }

    deinit {
        try? finalize()
    }

    /// How long a collective may wait for its peers (counted from its `wait`) before this rank aborts the job.
    public var timeout: Duration {
        get { lock.withLock { storedTimeout } }
        set {
            precondition(newValue > .zero, "the collective timeout must be positive, got \(newValue)")
            lock.withLock { storedTimeout = newValue }
        }
    }

    public func allReduce<Element: CommunicatorElement>(
        _ buffer: UnsafeMutableBufferPointer<Element>, _ operation: ReductionOperation
    ) throws {
        let pending = try startAllReduce(buffer, operation)
        try pending.wait()
    }

    public func startAllReduce<Element: CommunicatorElement>(
        _ buffer: UnsafeMutableBufferPointer<Element>, _ operation: ReductionOperation
    ) throws -> any PendingCollective {
        let name = "all-reduce (\(operation.rawValue) of \(buffer.count) \(Element.elementType.rawValue))"
        let count = try mpiCount(buffer.count, name)
        let request = try start("MPI_Iallreduce") { communicator, request in
            MPI_Iallreduce(cmpi_in_place(), buffer.baseAddress, count, Self.datatype(Element.elementType),
                           Self.reduction(operation), communicator, &request)
        }
        return PendingMPICollective(communicator: self, request: request, operation: name)
    }

    public func broadcast<Element: CommunicatorElement>(_ buffer: UnsafeMutableBufferPointer<Element>, from root: Int) throws {
        precondition((0..<worldSize).contains(root), "broadcast from rank \(root), but the ranks are 0..<\(worldSize)")
        let name = "broadcast (\(buffer.count) \(Element.elementType.rawValue) from rank \(root))"
        let count = try mpiCount(buffer.count, name)
        var request = try start("MPI_Ibcast") { communicator, request in
            MPI_Ibcast(buffer.baseAddress, count, Self.datatype(Element.elementType), Int32(root), communicator, &request)
        }
        try complete(&request, name)
    }

    public func allGather<Element: CommunicatorElement>(_ values: [Element]) throws -> [[Element]] {
        let name = "all-gather (\(values.count) \(Element.elementType.rawValue) per rank)"
        _ = try mpiCount(values.count * worldSize, name)
        let count = Int32(values.count)
        var gathered = [Element](unsafeUninitializedCapacity: values.count * worldSize) { buffer, initialized in
            initialized = buffer.count
        }
        try values.withUnsafeBufferPointer { sent in
            try gathered.withUnsafeMutableBufferPointer { received in
                var request = try start("MPI_Iallgather") { communicator, request in
                    let type = Self.datatype(Element.elementType)
                    return MPI_Iallgather(sent.baseAddress, count, type, received.baseAddress, count, type, communicator, &request)
                }
                try complete(&request, name)
            }
        }
        return (0..<worldSize).map { Array(gathered[$0 * values.count ..< ($0 + 1) * values.count]) }
    }

    public func barrier() throws {
        var request = try start("MPI_Ibarrier") { communicator, request in MPI_Ibarrier(communicator, &request) }
        try complete(&request, "barrier")
    }

    public func abort(_ message: String) -> Never {
        fflush(stdout)
        FileHandle.standardError.write(Data("\(rankDescription): \(message)\n".utf8))
        var finalizedAlready: Int32 = 0
        MPI_Finalized(&finalizedAlready)
        if finalizedAlready == 0 { MPI_Abort(cmpi_comm_world(), 1) }
        _exit(1)
    }

    /// Waits (within the timeout) for every rank to get here, then frees the communicator and finalizes MPI.
    ///
    /// The barrier first: MPI_Finalize itself waits for the other ranks without a
    /// timeout, so a dead peer is caught here instead. Calling it again does nothing.
    public func finalize() throws {
        if lock.withLock({ finalized }) { return }
        try barrier()
        try lock.withLock {
            guard !finalized else { return }
            finalized = true
            try Self.check(MPI_Comm_free(&communicator), "MPI_Comm_free", rank: rank)
            if ownsInitialization { try Self.check(MPI_Finalize(), "MPI_Finalize", rank: rank) }
        }
    }

    /// Whether a started request has completed; one MPI_Test.
    func test(_ request: inout MPI_Request?) throws -> Bool {
        try lock.withLock {
            checkUsable()
            var flag: Int32 = 0
            try Self.check(MPI_Test(&request, &flag, cmpi_status_ignore()), "MPI_Test", rank: rank)
            return flag != 0
        }
    }

    /// Polls `request` until it completes; aborts the job once `timeout` has passed.
    ///
    /// The first second spins (yielding the core between polls), as MPI's own blocking
    /// calls do: a peer that arrives soon is served at once. Past it a peer is late, and
    /// polling every millisecond leaves the core to the work that is late.
    func complete(_ request: inout MPI_Request?, _ operation: String) throws {
        let clock = ContinuousClock()
        let start = clock.now
        let timeout = self.timeout
        while try !test(&request) {
            let waited = start.duration(to: clock.now)
            if waited >= timeout {
                abort("\(operation) did not complete within \(Self.seconds(timeout)): another rank died, hangs or never "
                      + "called it; aborting the job")
            }
            if waited < .seconds(1) { sched_yield() } else { usleep(1_000) }
        }
    }

    /// Runs `body`, which starts one non-blocking MPI call, under the lock; returns its request.
    private func start(_ call: String, _ body: (MPI_Comm?, inout MPI_Request?) -> Int32) throws -> MPI_Request? {
        try lock.withLock {
            checkUsable()
            var request: MPI_Request? = cmpi_request_null()
            try Self.check(body(communicator, &request), call, rank: rank)
            return request
        }
    }

    private func checkUsable() {
        precondition(!finalized, "\(rankDescription): a collective after MPICommunicator.finalize()")
        precondition(threadLevel >= .serialized || pthread_equal(pthread_self(), initializingThread) != 0,
                     "\(rankDescription): MPI provides only MPI_THREAD_FUNNELED, so collectives must run on the thread "
                     + "that created the MPICommunicator")
    }

    private func mpiCount(_ count: Int, _ operation: String) throws -> Int32 {
        guard count <= Int(Int32.max) else {
            throw CommunicatorError.countTooLarge(operation: operation, count: count, rank: rank)
        }
        return Int32(count)
    }

    static func check(_ code: Int32, _ call: String, rank: Int?) throws {
        guard code != MPI_SUCCESS else { return }
        var text = [CChar](repeating: 0, count: Int(MPI_MAX_ERROR_STRING) + 1)
        var length: Int32 = 0
        MPI_Error_string(code, &text, &length)
        throw CommunicatorError.mpi(call: call, rank: rank, code: Int(code),
                                    message: String(decoding: text.prefix(Int(length)).map { UInt8(bitPattern: $0) },
                                                    as: UTF8.self))
    }

    private static func readLibraryVersion() -> String {
        var text = [CChar](repeating: 0, count: Int(MPI_MAX_LIBRARY_VERSION_STRING) + 1)
        var length: Int32 = 0
        MPI_Get_library_version(&text, &length)
        let version = String(decoding: text.prefix(Int(length)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return version.split(separator: ",").first.map(String.init) ?? version
    }

    private static func datatype(_ type: ElementType) -> MPI_Datatype? {
        switch type {
        case .float32: cmpi_float()
        case .float64: cmpi_double()
        case .int64: cmpi_int64()
        case .uint8: cmpi_uint8()
        }
    }

    private static func reduction(_ operation: ReductionOperation) -> MPI_Op? {
        switch operation {
        case .sum: cmpi_sum()
        case .max: cmpi_max()
        case .min: cmpi_min()
        }
    }

    static func seconds(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        return String(format: "%g s", Double(seconds) + Double(attoseconds) * 1e-18)
    }
}

/// The thread support an MPI library provides, in MPI's order: each level allows what the ones before it do.
public enum ThreadLevel: Int, Comparable, Sendable, CustomStringConvertible {
    case single, funneled, serialized, multiple

    public static func < (left: ThreadLevel, right: ThreadLevel) -> Bool { left.rawValue < right.rawValue }

    public var description: String {
        switch self {
        case .single: "MPI_THREAD_SINGLE"
        case .funneled: "MPI_THREAD_FUNNELED"
        case .serialized: "MPI_THREAD_SERIALIZED"
        case .multiple: "MPI_THREAD_MULTIPLE"
        }
    }
}

/// An all-reduce that `MPICommunicator.startAllReduce` started; `wait()` is bounded by the communicator's timeout.
///
/// Dropping it before it completed waits for it first: MPI may still write into the buffer.
final class PendingMPICollective: PendingCollective {
    private let communicator: MPICommunicator
    private var request: MPI_Request?
    private var completed = false
    private let operation: String

    init(communicator: MPICommunicator, request: MPI_Request?, operation: String) {
        self.communicator = communicator
        self.request = request
        self.operation = operation
    }

    deinit {
        if !completed { try? wait() }
    }

    func test() throws -> Bool {
        if !completed { completed = try communicator.test(&request) }
        return completed
    }

    func wait() throws {
        guard !completed else { return }
        try communicator.complete(&request, operation)
        completed = true
    }
}
