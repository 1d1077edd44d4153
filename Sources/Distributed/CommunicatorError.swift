/// What can go wrong in a collective at run time, each case naming the rank it happened on.
public enum CommunicatorError: Error, Equatable, CustomStringConvertible {
    /// An MPI call returned an error code; `rank` is nil before MPI knew it.
    case mpi(call: String, rank: Int?, code: Int, message: String)
    /// The MPI library cannot be used from a program with compute threads.
    case threadSupport(provided: ThreadLevel)
    /// MPI counts are 32-bit: a buffer this long must be split.
    case countTooLarge(operation: String, count: Int, rank: Int)
    /// MPI was finalized earlier in this process and cannot start again.
    case finalizedAlready
    /// The launcher started more processes than MPI joined into one job.
    case worldSizeMismatch(launcher: String, expected: Int, actual: Int)

    public var description: String {
        switch self {
        case .mpi(let call, let rank, let code, let message):
            "\(call) failed on \(rank.map { "rank \($0)" } ?? "a rank not yet known"): \(message) (MPI error \(code))"
        case .threadSupport(let provided):
            "MPI provides only \(provided); Hone needs MPI_THREAD_FUNNELED or more (its compute threads never call MPI)"
        case .countTooLarge(let operation, let count, let rank):
            "rank \(rank): \(operation) of \(count) elements exceeds MPI's 32-bit count (\(Int32.max)); split the buffer"
        case .finalizedAlready:
            "MPI was already finalized in this process; it cannot be initialized again"
        case .worldSizeMismatch(let launcher, let expected, let actual):
            "\(launcher) started \(expected) processes but MPI joined \(actual) into this job: the launcher and Open MPI do "
                + "not share a process-management interface (with Slurm, launch with `srun --mpi=pmix`)"
        }
    }
}
