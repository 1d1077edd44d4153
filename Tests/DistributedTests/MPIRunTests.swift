import Foundation
import Testing

/// `hone distributed check` under `mpirun`: every collective right on 2 and 3 ranks, and a failed rank ends the job.
///
/// These start real jobs of the `hone` executable SwiftPM built next to this test
/// bundle, oversubscribed (more ranks than this machine's cores are fine), one
/// thread per rank. Each job runs under a watchdog: one still running after
/// `MPIJob.limit` is killed and fails its test, so a hang cannot stall the suite.
@Suite(.serialized, .enabled(if: MPIJob.mpirun != nil, "mpirun is not on PATH: install openmpi-bin to run the MPI tests"))
struct MPIRunTests {
    @Test func twoRanksPassEveryCheckAndMeasureBandwidth() throws {
        let job = try MPIJob.run(ranks: 2, ["--elements", "1000000", "--repetitions", "3"])
        #expect(job.status == 0, "\(job.output)")
        expectEveryCheckPassed(job, ranks: 2)
    }

    @Test func threeRanksPassEveryCheck() throws {
        let job = try MPIJob.run(ranks: 3, ["--elements", "1000000", "--repetitions", "3"])
        #expect(job.status == 0, "\(job.output)")
        expectEveryCheckPassed(job, ranks: 3)
    }

    /// The launcher notices the exit and ends the job at once, long before the 10 s timeout.
    @Test func aRankThatExitsEndsTheJobWithAMessageNamingIt() throws {
        let job = try MPIJob.run(ranks: 2, ["--timeout", "10", "--fail-rank", "1"])
        #expect(job.status != 0)
        #expect(job.seconds < 60, "the job took \(job.seconds) s to end")
        #expect(job.output.contains("rank 1 of 2: exiting abruptly with status 3 before the first all-reduce"), "\(job.output)")
        #expect(job.output.contains("exited with non-zero status") && job.output.contains("Exit code:    3"),
                "mpirun reports the rank that exited:\n\(job.output)")
        #expect(!job.output.contains("distributed check: ok"))
    }

    /// Nothing tells the others that rank 1 hangs: each waits 5 s in the all-reduce, then says so and aborts the job.
    @Test func aRankThatHangsEndsTheJobWithinTheTimeout() throws {
        let job = try MPIJob.run(ranks: 2, ["--timeout", "5", "--fail-rank", "1", "--fail-mode", "hang"])
        #expect(job.status != 0)
        #expect(job.seconds >= 5 && job.seconds < 60, "the job took \(job.seconds) s to end with a 5 s timeout")
        #expect(job.output.contains("rank 1 of 2: hanging before the first all-reduce"), "\(job.output)")
        #expect(job.output.contains("rank 0 of 2: all-reduce (sum of 100003 float32) did not complete within 5 s"),
                "\(job.output)")
    }

    func expectEveryCheckPassed(_ job: MPIJob, ranks: Int) {
        let lines = job.output.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix("world: \(ranks) ranks started by mpirun") }, "\(job.output)")
        let checks = lines.filter { $0.hasPrefix("  ") && !$0.contains("bandwidth") }
        #expect(checks.count == 12, "one line per collective:\n\(job.output)")
        #expect(checks.allSatisfy { $0.hasSuffix(": ok") }, "\(job.output)")
        #expect(lines.last == "distributed check: ok")
        let bandwidth = lines.first { $0.hasPrefix("  all-reduce bandwidth: 1000000 float32 (4.0 MB), median of 3: ") }
        let gigabytesPerSecond = bandwidth?.firstMatch(of: /ms, ([0-9.]+) GB\/s/).flatMap { Double($0.1) }
        #expect((gigabytesPerSecond ?? 0) > 0, "a bandwidth line with GB/s:\n\(job.output)")
    }
}

/// One finished `mpirun ... hone ...` job: its exit status, its output (stdout and stderr) and duration.
struct MPIJob {
    static let limit: TimeInterval = 120

    /// mpirun's path, from PATH.
    static let mpirun: String? = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
        .map { "\($0)/mpirun" }.first { FileManager.default.isExecutableFile(atPath: $0) }

    let status: Int32
    let output: String
    let seconds: TimeInterval

    /// Runs `hone distributed check arguments` on `ranks` ranks; a job still running after `limit` is killed and throws.
    static func run(ranks: Int, _ arguments: [String]) throws -> MPIJob {
        try run(ranks: ranks, hone: ["distributed", "check"] + arguments)
    }

    /// Runs `hone arguments` on `ranks` ranks, one thread each; `whileRunning` is called every 20 ms with mpirun's
    /// process until the job ends. A job still running after `limit` is killed and throws.
    static func run(ranks: Int, hone arguments: [String], directory: URL? = nil,
                    whileRunning: (Process) -> Void = { _ in }) throws -> MPIJob {
        let hone = try honeExecutable()
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("hone-mpi-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: log) }
        let handle = try FileHandle(forWritingTo: log)
        defer { try? handle.close() }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(mpirun))
        process.arguments = ["--allow-run-as-root", "--oversubscribe", "-np", "\(ranks)", hone.path] + arguments
        if let directory { process.currentDirectoryURL = directory }
        var environment = ProcessInfo.processInfo.environment
        environment["OMPI_ALLOW_RUN_AS_ROOT"] = "1"
        environment["OMPI_ALLOW_RUN_AS_ROOT_CONFIRM"] = "1"
        environment["OMP_NUM_THREADS"] = "1"
        process.environment = environment
        process.standardOutput = handle
        process.standardError = handle
        let start = Date()
        try process.run()
        while process.isRunning && Date().timeIntervalSince(start) < limit {
            whileRunning(process)
            usleep(20_000)
        }
        if process.isRunning {
            process.terminate()
            usleep(2_000_000)
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
            let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            Issue.record("mpirun -np \(ranks) \(arguments.joined(separator: " ")) still ran after \(Int(limit)) s:\n\(output)")
            throw CancellationError()
        }
        process.waitUntilExit()
        return MPIJob(status: process.terminationStatus, output: try String(contentsOf: log, encoding: .utf8),
                      seconds: Date().timeIntervalSince(start))
    }

    /// The `hone` executable SwiftPM built next to this test bundle.
    static func honeExecutable() throws -> URL {
        let bundle = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        let url = URL(fileURLWithPath: bundle).deletingLastPathComponent().appendingPathComponent("hone")
        try #require(FileManager.default.isExecutableFile(atPath: url.path),
                     "expected the hone executable at \(url.path); `swift build` builds it")
        return url
    }
}
