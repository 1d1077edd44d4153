import Foundation
import Interop
import Testing
import Training

/// A `hone train` process killed with SIGKILL mid-epoch resumes from its last checkpoint to the uninterrupted run's exact weights.
///
/// Unlike `ResumeTests`, nothing is saved at the moment of the stop: the process dies
/// wherever it is — in a step, an evaluation or half-way through writing a
/// checkpoint — so this checks that checkpoints are written atomically and that a
/// resume from an older, periodic checkpoint replays the lost steps bit for bit.
@Suite(.serialized) struct CrashResumeTests {
    /// 36 steps (6 epochs of 6), a checkpoint every 2 steps and at epoch ends, 2 threads.
    let arguments = [
        "--set", "model.name=resnet18", "--set", "model.stem=small-image", "--set", "model.width=0.125",
        "--set", "model.drop_path_rate=0.1", "--set", "data.batch_size=16", "--set", "data.train_limit=96",
        "--set", "data.eval_limit=50", "--set", "data.eval_batch_size=25", "--set", "schedule.epochs=6",
        "--set", "optimizer.lr_base_batch=16", "--set", "run.checkpoint_every=2", "--set", "run.threads=2",
    ]

    @Test func sigkillMidEpochThenResumeMatchesTheUninterruptedRun() throws {
        let executable = try honeExecutable()
        let (straight, crashed) = (try temporaryFolder("straight"), try temporaryFolder("crashed"))
        defer { try? FileManager.default.removeItem(at: straight); try? FileManager.default.removeItem(at: crashed) }

        let reference = try launch(executable, ["train"] + arguments + ["--output", straight.path])
        reference.waitUntilExit()
        #expect(reference.terminationStatus == 0)

        let victim = try launch(executable, ["train"] + arguments + ["--output", crashed.path])
        let killedAfter = try waitForCheckpoint(atLeast: 4, in: crashed, of: victim)
        kill(victim.processIdentifier, SIGKILL)
        victim.waitUntilExit()
        #expect(victim.terminationReason == .uncaughtSignal, "the run finished before it could be killed")
        #expect(killedAfter < 36)

        let resumed = try launch(executable, ["train", "--resume", crashed.path])
        resumed.waitUntilExit()
        #expect(resumed.terminationStatus == 0)

        expectIdenticalWeights(try SafeTensors(contentsOf: RunFolder(url: straight).checkpoints.modelURL(.last)),
                               try SafeTensors(contentsOf: RunFolder(url: crashed).checkpoints.modelURL(.last)),
                               after: "the crash and resume")
        let summary = try String(contentsOf: RunFolder(url: crashed).summaryURL, encoding: .utf8)
        #expect(summary.split(separator: "\n").count == 7, "one header and one row per epoch, none repeated")
    }

    /// The `hone` executable SwiftPM built next to this test bundle.
    func honeExecutable() throws -> URL {
        let bundle = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        let url = URL(fileURLWithPath: bundle).deletingLastPathComponent().appendingPathComponent("hone")
        try #require(FileManager.default.isExecutableFile(atPath: url.path),
                     "expected the hone executable at \(url.path); `swift build` builds it")
        return url
    }

    func launch(_ executable: URL, _ arguments: [String]) throws -> Process {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Polls the run's `last` checkpoint link until it names step `minimum` or later; returns that step.
    func waitForCheckpoint(atLeast minimum: Int, in folder: URL, of process: Process) throws -> Int {
        let link = folder.appendingPathComponent("checkpoints/last").path
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline {
            if let target = try? FileManager.default.destinationOfSymbolicLink(atPath: link),
               let step = Int(target.dropFirst("step-".count).prefix(8)), step >= minimum {
                return step
            }
            try #require(process.isRunning, "the run exited before writing a checkpoint at step \(minimum)")
            usleep(2_000)
        }
        throw CancellationError()
    }
}
