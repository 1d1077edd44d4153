import Foundation

/// How many compute threads one rank should use: its share of this machine's cores.
///
/// `mpirun` binds each rank to cores by default (to one core each for up to two
/// ranks, to a socket's worth beyond), and OpenMP then sees only those cores. With
/// `--bind-to none` every rank would see every core and N ranks would run N times
/// as many threads as there are cores, which slows training several fold; then each
/// rank takes cores / (ranks on this machine). `OMP_NUM_THREADS`, when set, wins
/// (`mpirun -x OMP_NUM_THREADS=8 --map-by slot:PE=8`).
public enum RankThreads {
    /// The thread count for this rank, or nil to leave OpenMP's default (a single process, or OMP_NUM_THREADS set).
    public static func count(environment: [String: String] = ProcessInfo.processInfo.environment,
                             allowedCores: Int? = allowedCoreCount(),
                             machineCores: Int = ProcessInfo.processInfo.processorCount) -> Int? {
        guard environment["OMP_NUM_THREADS"] == nil else { return nil }
        let local = environment["OMPI_COMM_WORLD_LOCAL_SIZE"].flatMap { Int($0) }
            ?? environment["SLURM_NTASKS_PER_NODE"].flatMap { Int($0) } ?? 1
        guard local > 1 else { return nil }
        let allowed = allowedCores ?? machineCores
        return allowed < machineCores ? max(allowed, 1) : max(machineCores / local, 1)
    }

    /// The cores this process may run on (its affinity), from /proc/self/status; nil where that cannot be read.
    public static func allowedCoreCount(status: String? = try? String(contentsOfFile: "/proc/self/status",
                                                                      encoding: .utf8)) -> Int? {
        guard let line = status?.split(separator: "\n").first(where: { $0.hasPrefix("Cpus_allowed_list:") }) else {
            return nil
        }
        var count = 0
        for part in line.dropFirst("Cpus_allowed_list:".count).split(separator: ",") {
            let bounds = part.trimmingCharacters(in: .whitespaces).split(separator: "-").compactMap { Int($0) }
            switch bounds.count {
            case 1: count += 1
            case 2 where bounds[1] >= bounds[0]: count += bounds[1] - bounds[0] + 1
            default: return nil
            }
        }
        return count > 0 ? count : nil
    }
}
