import Foundation

/// How this process was started: by an MPI launcher (`mpirun`, `srun`), or on its own.
///
/// Read from the environment the launchers set, so that `hone train` needs no flag
/// to know it is one rank of many: `mpirun` sets OMPI_COMM_WORLD_SIZE, `srun` sets
/// SLURM_STEP_NUM_TASKS for the tasks of a job step, PMIx and PMI launchers set
/// PMIX_RANK or PMI_RANK. A Slurm batch script itself is a step of one task, so
/// `hone` run directly inside it stays a single process.
public enum DistributedLaunch: Equatable, Sendable {
    case singleProcess
    /// Started by `launcher` (named with the variable that says so), which expects `expectedWorldSize` ranks when it says.
    case mpi(launcher: String, expectedWorldSize: Int?)

    /// The launch that `environment` describes.
    public static func detect(environment: [String: String] = ProcessInfo.processInfo.environment) -> DistributedLaunch {
        if let size = environment["OMPI_COMM_WORLD_SIZE"] {
            return .mpi(launcher: "mpirun (OMPI_COMM_WORLD_SIZE=\(size))", expectedWorldSize: Int(size))
        }
        if let tasks = environment["SLURM_STEP_NUM_TASKS"], let count = Int(tasks), count > 1 {
            return .mpi(launcher: "srun (SLURM_STEP_NUM_TASKS=\(tasks))", expectedWorldSize: count)
        }
        if let rank = environment["PMIX_RANK"] {
            return .mpi(launcher: "a PMIx launcher (PMIX_RANK=\(rank))", expectedWorldSize: nil)
        }
        if let rank = environment["PMI_RANK"] {
            return .mpi(launcher: "a PMI launcher (PMI_RANK=\(rank))", expectedWorldSize: environment["PMI_SIZE"].flatMap { Int($0) })
        }
        return .singleProcess
    }

    /// The communicator for this launch: an `MPICommunicator` with `timeout` when a launcher started the process.
    ///
    /// Throws `CommunicatorError.worldSizeMismatch` when the launcher started more
    /// processes than MPI joined, instead of training N independent copies.
    public func communicator(timeout: Duration = MPICommunicator.defaultTimeout) throws -> any Communicator {
        switch self {
        case .singleProcess:
            return SingleProcessCommunicator()
        case .mpi(let launcher, let expected):
            let communicator = try MPICommunicator(timeout: timeout)
            if let expected, expected != communicator.worldSize {
                try communicator.finalize()
                throw CommunicatorError.worldSizeMismatch(launcher: launcher, expected: expected,
                                                          actual: communicator.worldSize)
            }
            return communicator
        }
    }
}
