import Distributed

/// A failure of a command's work (a bad recipe, a missing data set, an unreadable checkpoint), shown as its message alone.
///
/// Why not `ValidationError`: that one also prints the usage text, which only helps
/// when the command line itself is wrong.
struct CommandFailure: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}

extension CommandFailure {
    /// Refuses to run `command` under `mpirun` or `srun`, where every rank would do the whole job and write the same files.
    static func requireSingleProcess(_ command: String) throws {
        guard case .mpi(let launcher, _) = DistributedLaunch.detect() else { return }
        throw CommandFailure("\(command) runs as a single process, but \(launcher) started it; only `hone train` and "
                             + "`hone distributed check` run data-parallel (run each cell or stage with `mpirun ... hone "
                             + "train`)")
    }
}
