import Foundation
import Interop
import Testing

/// Where Debian's dataset-fashion-mnist puts the data.
let fashionMNISTPath = "/usr/share/datasets/fashion-mnist"

/// `mpirun -np N hone train`: the same training as one process with the global batch, exact sharded evaluation,
/// and a job that ends when a rank dies and resumes on another number of ranks.
///
/// Each job trains a quarter-width ResNet-18 on a few Fashion-MNIST images (Debian's
/// `dataset-fashion-mnist`, which `make test` installs) for a few steps, one thread per
/// rank, under `MPIJob`'s watchdog.
@Suite(.serialized, .enabled(if: MPIJob.mpirun != nil, "mpirun is not on PATH: install openmpi-bin to run the MPI tests"),
       .enabled(if: FileManager.default.fileExists(atPath: fashionMNISTPath),
                "Fashion-MNIST is not installed: install dataset-fashion-mnist"))
struct DataParallelTrainingTests {
    static let fashionMNIST = fashionMNISTPath

    /// 24 training images in 3 steps of 8, 37 evaluation images (divisible by neither 2 nor 3).
    static func recipe(norm: String) -> String {
        """
        seed: 1
        model:
          name: resnet18
          stem: small-image
          width: 0.25
          \(norm)
        data:
          dataset: fashion-mnist
          path: \(fashionMNIST)
          batch_size: 8
          eval_batch_size: 16
          train_limit: 24
          eval_limit: 37
          workers: 1
        optimizer:
          lr: 0.01
          lr_base_batch: 8
          weight_decay: 0.0001
        schedule:
          epochs: 1
          warmup_epochs: 0
        run:
          threads: 1
        """
    }

    /// GroupNorm is independent of the batch: 2 ranks × 4 images are 1 rank × 8, step for step.
    @Test func twoRanksWithGroupNormTrainTheSameWeightsAsOneProcessWithTheGlobalBatch() throws {
        try expectSameWeights(norm: "norm: group\n  norm_groups: 4", ranks: 2)
    }

    /// SyncBN's statistics are the global batch's, however it is split: one step on 2 ranks × 4 and on 4 ranks × 2
    /// gives the same weights and running statistics (3.9e-8 apart, measured), where per-rank batch norm gives
    /// others (5.6e-3 apart).
    ///
    /// One step, not three: a ReLU's gradient jumps at 0, and Fashion-MNIST's constant background puts hundreds of
    /// identical pre-activations within 1e-4 of 0. Rounding that moves them across flips them all at once, so any
    /// two float32 computations of a second step may part by ~1e-4 (2 vs 4 ranks here: 1.4e-4 after three steps).
    @Test func syncBNTakesTheSameStepOnTwoAndFourRanks() throws {
        let synced = "norm: batch\n  sync_bn: true"
        let split = try compareCheckpoints(norm: synced, ranks: 4, against: (norm: synced, ranks: 2), trainLimit: 8)
        #expect(split.model <= 1e-6, "‖4 ranks − 2 ranks‖ / ‖2 ranks‖ = \(split.model)")
        let perRank = try compareCheckpoints(norm: "norm: batch", ranks: 4, against: (norm: synced, ranks: 2),
                                             trainLimit: 8)
        #expect(perRank.model > 1e-3, "per-rank batch norm on 4 ranks × 2 should differ: \(perRank.model)")
    }

    /// 2 ranks × 4 with SyncBN keep the running statistics of 1 rank × 8 with BatchNorm: the global mean and the
    /// variance with the global count's unbiased correction (9.7e-7 apart after one step, measured).
    ///
    /// The weights are not compared: the single process's oneDNN batch norm sums its statistics in float32, SyncBN
    /// in float64, and at the ReLU ties described above the two round to different sides. On an AVX2 CPU that
    /// moves one step's weights by 9e-5 of the model. On a batch with a constant background, float64 PyTorch
    /// sides with SyncBN (every gradient within 4e-5) and float32 PyTorch in channels_last with oneDNN's batch
    /// norm (the same gradients to 3 digits, up to 15% off float64's): neither float32 answer is wrong.
    /// `SyncBatchNormTests` checks SyncBN's gradients against the float64 reference instead.
    @Test func syncBNKeepsTheRunningStatisticsOfOneProcessWithTheGlobalBatch() throws {
        let difference = try compareCheckpoints(norm: "norm: batch\n  sync_bn: true", ranks: 2,
                                                against: (norm: "norm: batch\n  sync_bn: true", ranks: 1), trainLimit: 8)
        #expect(difference.runningStatistics <= 1e-5,
                "‖2 ranks − 1 rank‖ / ‖1 rank‖ over the running statistics = \(difference.runningStatistics)")
    }

    /// Every evaluation image is counted once on 1, 2 and 3 ranks: the same top-1, loss and confusion matrix.
    @Test func evaluationIsExactOnOneTwoAndThreeRanks() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Self.recipe(norm: "norm: batch").write(to: folder.appendingPathComponent("tiny.yaml"), atomically: true,
                                                    encoding: .utf8)
        let trained = try MPIJob.run(ranks: 1, hone: ["train", "--recipe", "tiny.yaml", "--output", "trained"],
                                     directory: folder)
        try #require(trained.status == 0, "\(trained.output)")
        var rows: [Int: String] = [:]
        var confusions: [Int: String] = [:]
        for ranks in [1, 2, 3] {
            let job = try MPIJob.run(ranks: ranks, hone: [
                "train", "--recipe", "tiny.yaml", "--output", "eval-\(ranks)", "--set", "schedule.epochs=0",
                "--set", "init.from=trained", "--set", "init.checkpoint=last", "--set", "data.batch_size=6",
            ], directory: folder)
            try #require(job.status == 0, "\(ranks) ranks:\n\(job.output)")
            #expect(job.output.contains("on 37 images"), "\(job.output)")
            let summary = try String(contentsOf: folder.appendingPathComponent("eval-\(ranks)/summary.csv"), encoding: .utf8)
            rows[ranks] = summary.split(separator: "\n")[1].split(separator: ",")[2...4].joined(separator: ",")
            confusions[ranks] = try String(contentsOf: folder.appendingPathComponent("eval-\(ranks)/evaluation/confusion_matrix.csv"),
                                           encoding: .utf8)
        }
        let counts = confusions[1]!.split(separator: "\n").dropFirst()
            .map { $0.split(separator: ",").dropFirst().compactMap { Int($0) }.reduce(0, +) }
        #expect(counts.reduce(0, +) == 37)
        let one = try #require(rows[1])
        let top1 = one.split(separator: ",")[1]
        #expect(rows[2]!.split(separator: ",")[1] == top1 && rows[3]!.split(separator: ",")[1] == top1,
                "eval loss, top-1, top-5 on 1, 2, 3 ranks: \(rows)")
        #expect(confusions[2] == confusions[1] && confusions[3] == confusions[1])
        let losses = rows.values.map { Double($0.split(separator: ",")[0])! }
        #expect(losses.max()! - losses.min()! < 1e-5, "the summed loss differs only by rounding: \(rows)")
    }

    /// SIGKILL on rank 1 mid-training: mpirun ends the job at once naming the rank, and the last checkpoint resumes on 1 rank.
    @Test func aKilledRankEndsTheJobAndTheRunResumesOnOneRank() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let recipe = Self.recipe(norm: "norm: batch")
            .replacingOccurrences(of: "train_limit: 24", with: "train_limit: 800")
            .replacingOccurrences(of: "  threads: 1", with: "  threads: 1\n  checkpoint_every: 2")
        try recipe.write(to: folder.appendingPathComponent("tiny.yaml"), atomically: true, encoding: .utf8)
        let run = folder.appendingPathComponent("run")
        var killedAt: Date?
        let job = try MPIJob.run(ranks: 2, hone: ["train", "--recipe", "tiny.yaml", "--output", "run"],
                                 directory: folder) { mpirun in
            guard killedAt == nil, Self.hasStepCheckpoint(run), let rank = Self.rank(1, under: mpirun.processIdentifier)
            else { return }
            kill(rank, SIGKILL)
            killedAt = Date()
        }
        let killed = try #require(killedAt, "rank 1 was never found and killed:\n\(job.output)")
        #expect(job.status != 0)
        #expect(Date().timeIntervalSince(killed) < 30, "the job took \(Date().timeIntervalSince(killed)) s to end")
        #expect(job.output.contains("rank 1") && job.output.contains("signal 9"),
                "mpirun names the killed rank:\n\(job.output)")
        #expect(!job.output.contains("done: top-1"))

        let resumed = try MPIJob.run(ranks: 1, hone: ["train", "--resume", "run"], directory: folder)
        #expect(resumed.status == 0, "\(resumed.output)")
        #expect(resumed.output.contains("the checkpoint was written by 2 ranks and this run has 1: the global batch "
                                        + "stays 8"), "\(resumed.output)")
        #expect(resumed.output.contains("done: top-1"), "\(resumed.output)")
    }

    /// Trains `norm`'s recipe on `ranks` ranks and on one, and compares every float of the two final checkpoints.
    func expectSameWeights(norm: String, ranks: Int) throws {
        let difference = try compareCheckpoints(norm: norm, ranks: ranks, against: (norm: norm, ranks: 1))
        #expect(difference.model <= 1e-5, "‖many − one‖ / ‖one‖ = \(difference.model)")
        #expect(difference.worst <= 1e-5, "largest difference \(difference.worst) of the largest value")
    }

    /// How far apart two runs' final checkpoints are.
    struct CheckpointDifference {
        /// ‖a − b‖ / ‖b‖ over every float: weights and running statistics.
        var model: Double
        /// The same over the running means and variances alone.
        var runningStatistics: Double
        /// The largest single difference, over the largest magnitude in `b`.
        var worst: Double
    }

    /// Trains `norm`'s recipe on `ranks` ranks and `baseline`'s on its ranks, both on the first `trainLimit` images
    /// (3 steps of 8 by default), and measures how far the final checkpoints are apart.
    ///
    /// Relative to the model, not per tensor: a bias that is the sum of cancelling gradients is itself near 0
    /// after three steps, and its last bits carry no meaning (accumulating 2 micro-batches of 4 in one process
    /// moves it as much).
    func compareCheckpoints(norm: String, ranks: Int, against baseline: (norm: String, ranks: Int),
                            trainLimit: Int = 24) throws -> CheckpointDifference {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var checkpoints: [SafeTensors] = []
        for (index, (norm, ranks)) in [baseline, (norm: norm, ranks: ranks)].enumerated() {
            let recipe = Self.recipe(norm: norm).replacingOccurrences(of: "train_limit: 24", with: "train_limit: \(trainLimit)")
            try recipe.write(to: folder.appendingPathComponent("run\(index).yaml"), atomically: true, encoding: .utf8)
            let job = try MPIJob.run(ranks: ranks, hone: ["train", "--recipe", "run\(index).yaml", "--output", "run\(index)"],
                                     directory: folder)
            try #require(job.status == 0, "\(ranks) ranks:\n\(job.output)")
            if ranks > 1 {
                #expect(job.output.contains("global batch 8 = \(ranks) ranks × \(8 / ranks)"), "\(job.output)")
            }
            checkpoints.append(try SafeTensors(contentsOf: folder.appendingPathComponent("run\(index)/checkpoints/last/model.safetensors")))
        }
        let (expected, actual) = (checkpoints[0], checkpoints[1])
        #expect(expected.names == actual.names)
        var model: (difference: [Double], reference: [Double]) = ([], [])
        var running: (difference: [Double], reference: [Double]) = ([], [])
        for name in expected.names {
            guard let mine = expected[name]?.scalars, let theirs = actual[name]?.scalars, mine.count == theirs.count
            else { continue }
            let difference = zip(theirs, mine).map { Double($0) - Double($1) }
            model.difference += difference
            model.reference += mine.map(Double.init)
            if name.hasSuffix("running_mean") || name.hasSuffix("running_var") {
                running.difference += difference
                running.reference += mine.map(Double.init)
            }
        }
        #expect(model.reference.count > 700_000, "every weight and running statistic compared: \(model.reference.count) floats")
        let norm = { (values: [Double]) in values.reduce(0) { $0 + $1 * $1 }.squareRoot() }
        let largest = model.reference.map(abs).max() ?? 1
        return CheckpointDifference(model: norm(model.difference) / norm(model.reference),
                                    runningStatistics: running.reference.isEmpty ? 0
                                        : norm(running.difference) / norm(running.reference),
                                    worst: (model.difference.map(abs).max() ?? 0) / largest)
    }

    static func hasStepCheckpoint(_ run: URL) -> Bool {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: run.appendingPathComponent("checkpoints").path)) ?? []
        return names.contains { $0.hasPrefix("step-") }
    }

    /// The process of rank `rank` among the descendants of `mpirun`, found by its OMPI_COMM_WORLD_RANK.
    static func rank(_ rank: Int32, under mpirun: Int32) -> Int32? {
        let processes = ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap { Int32($0) }
        for pid in processes {
            guard let environment = FileManager.default.contents(atPath: "/proc/\(pid)/environ"),
                  environment.split(separator: 0).contains(where: {
                      String(decoding: $0, as: UTF8.self) == "OMPI_COMM_WORLD_RANK=\(rank)" }),
                  isDescendant(pid, of: mpirun)
            else { continue }
            return pid
        }
        return nil
    }

    static func isDescendant(_ pid: Int32, of ancestor: Int32) -> Bool {
        var current = pid
        for _ in 0..<8 {
            guard let stat = try? String(contentsOfFile: "/proc/\(current)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")"),
                  let parent = stat[stat.index(after: close)...].split(separator: " ").dropFirst().first.flatMap({ Int32($0) })
            else { return false }
            if parent == ancestor { return true }
            current = parent
        }
        return false
    }

    func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("hone-ddp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
