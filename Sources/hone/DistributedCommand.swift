import ArgumentParser
import Distributed
@preconcurrency import Glibc
import Foundation

/// `hone distributed`: tools for jobs of several processes, which `mpirun` or `srun` start.
struct DistributedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "distributed",
        abstract: "Tools for multi-process (MPI) jobs.",
        subcommands: [DistributedCheckCommand.self]
    )
}

/// `hone distributed check`: every collective checked on every rank, all-reduce bandwidth measured, one summary.
struct DistributedCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check every collective across the ranks mpirun or srun started, and measure all-reduce bandwidth.",
        discussion: """
            Launch it the way a training job is launched, e.g. `mpirun -np 2 hone distributed check` on one machine, \
            `mpirun --hostfile hosts -np 8 ...` or `srun --mpi=pmix -n 8 ...` across machines. Every rank checks \
            every collective against results known in closed form; rank 0 prints the world, one line per \
            collective and the all-reduce bandwidth. Exit status 0 when every check passed on every rank. Without \
            a launcher it runs as a single process and says so.

            --fail-rank R checks the cluster's failure handling: rank R exits abruptly (status 3, as a crash \
            would) or hangs (--fail-mode hang, as a deadlock would) just before the first all-reduce. The job must \
            then end, with a non-zero status and a message naming the rank, within --timeout seconds: the launcher \
            reports a rank that exited; a rank that waited --timeout seconds in a collective reports itself and \
            aborts the job.
            """
    )

    enum FailMode: String, ExpressibleByArgument, CaseIterable {
        case exit, hang
    }

    @Option(help: "Seconds a collective may wait for the other ranks before this rank aborts the job.")
    var timeout: Double = 300
    @Option(help: "Floats in the timed all-reduce; 25557032 is ResNet-50's parameter count.")
    var elements = 25_557_032
    @Option(help: "Timed all-reduces; the median is reported.")
    var repetitions = 5
    @Option(help: "Make this rank fail just before the first all-reduce, to check how the job ends.")
    var failRank: Int?
    @Option(help: "How --fail-rank fails: exit (_exit(3), a crash) or hang (sleep forever, a deadlock).")
    var failMode: FailMode = .exit

    func validate() throws {
        guard timeout > 0 else { throw ValidationError("--timeout must be positive, got \(timeout)") }
        guard elements > 0 else { throw ValidationError("--elements must be positive, got \(elements)") }
        guard repetitions > 0 else { throw ValidationError("--repetitions must be positive, got \(repetitions)") }
        if let failRank, failRank < 0 { throw ValidationError("--fail-rank must be a rank (0 or more), got \(failRank)") }
    }

    func run() throws {
        let launch = DistributedLaunch.detect()
        let communicator = try launch.communicator(timeout: .milliseconds(Int((timeout * 1000).rounded(.up))))
        if let failRank, failRank >= communicator.worldSize {
            try communicator.finalize()
            throw CommandFailure("--fail-rank \(failRank) names no rank: the ranks are 0..<\(communicator.worldSize)")
        }
        let outcomes: [CollectiveCheck.Outcome]
        do {
            outcomes = try check(communicator, launch)
        } catch {
            communicator.abort("distributed check failed: \(error)")
        }
        try communicator.finalize()
        guard outcomes.allSatisfy(\.passed) else {
            throw CommandFailure("distributed check failed: "
                                 + outcomes.filter { !$0.passed }.map(\.name).joined(separator: ", "))
        }
    }

    /// The checks and the benchmark, on every rank; rank 0 prints.
    private func check(_ communicator: any Communicator, _ launch: DistributedLaunch) throws -> [CollectiveCheck.Outcome] {
        let leader = communicator.rank == 0
        let cores = try communicator.allGather([Int64(coresAllowed())]).map { $0[0] }
        if leader {
            print(describe(launch, communicator))
            print("cores per rank: " + cores.map(String.init).joined(separator: ", ")
                  + (cores.contains(1) && launch != .singleProcess && ProcessInfo.processInfo.activeProcessorCount > 1
                     ? " (mpirun binds each rank to one core unless given --bind-to none or --map-by ...:PE=N)" : ""))
        }
        if communicator.rank == failRank { fail(communicator) }

        let outcomes = try CollectiveCheck().run(on: communicator)
        let measurement = communicator.worldSize > 1
            ? try AllReduceBenchmark(elements: elements, repetitions: repetitions).run(on: communicator) : nil
        if leader {
            for outcome in outcomes {
                print("  \(outcome.name): " + (outcome.passed ? "ok" : "FAILED on " + outcome.failures.map {
                    "rank \($0.rank) (first wrong element \($0.firstWrongElement))"
                }.joined(separator: ", ")))
            }
            if let measurement {
                print(String(format: "  all-reduce bandwidth: %d float32 (%.1f MB), median of %d: %.3f ms, %.2f GB/s "
                             + "(bus bandwidth %.2f GB/s)", measurement.elements, Double(measurement.bytes) / 1e6,
                             repetitions, measurement.seconds * 1e3, measurement.algorithmBandwidth / 1e9,
                             measurement.busBandwidth / 1e9))
            } else {
                print("  all-reduce bandwidth: not measured, a single rank sends nothing")
            }
            print("distributed check: " + (outcomes.allSatisfy(\.passed) ? "ok" : "FAILED"))
        }
        return outcomes
    }

    private func describe(_ launch: DistributedLaunch, _ communicator: any Communicator) -> String {
        switch launch {
        case .singleProcess:
            return "world: 1 rank — not started by mpirun or srun, so running as a single process, where every "
                + "collective is the identity"
        case .mpi(let launcher, _):
            let mpi = communicator as? MPICommunicator
            return "world: \(communicator.worldSize) rank\(communicator.worldSize == 1 ? "" : "s") started by \(launcher); "
                + "\(mpi?.libraryVersion ?? "MPI"), \(mpi.map { "\($0.threadLevel)" } ?? "?"), non-blocking all-reduce "
                + "algorithm \(iallreduceAlgorithm), timeout " + String(format: "%g s", timeout)
        }
    }

    /// The cores this process may run on (Linux's Cpus_allowed_list, which mpirun's binding narrows): OpenMP's default.
    private func coresAllowed() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("Cpus_allowed_list:") }) else {
            return ProcessInfo.processInfo.activeProcessorCount
        }
        return line.dropFirst("Cpus_allowed_list:".count).split(separator: ",").reduce(0) { count, part in
            let bounds = part.split(separator: "-").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
            return count + (bounds.count == 2 ? bounds[1] - bounds[0] + 1 : 1)
        }
    }

    /// Open MPI's MPI_Iallreduce algorithm in effect (see `MPICommunicator.iallreduceAlgorithmVariable`).
    private var iallreduceAlgorithm: String {
        let names = ["0": "libnbc's choice", "1": "ring", "2": "binomial", "3": "reduce-scatter + all-gather",
                     "4": "recursive doubling"]
        let value = ProcessInfo.processInfo.environment[MPICommunicator.iallreduceAlgorithmVariable] ?? "?"
        return "\(names[value] ?? "unknown") (\(MPICommunicator.iallreduceAlgorithmVariable)=\(value))"
    }

    /// Ends or stalls this rank as --fail-mode says, after saying so on standard error.
    private func fail(_ communicator: any Communicator) -> Never {
        let what = failMode == .exit ? "exiting abruptly with status 3" : "hanging"
        fflush(stdout)
        FileHandle.standardError.write(Data(("\(communicator.rankDescription): \(what) before the first all-reduce, "
                                             + "as --fail-rank \(communicator.rank) asks\n").utf8))
        switch failMode {
        case .exit:
            _exit(3)
        case .hang:
            while true { sleep(3600) }
        }
    }
}
