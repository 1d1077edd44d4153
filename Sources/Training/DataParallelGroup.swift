import Distributed
import Foundation
import Layers
import Models
import Recipes
import TensorCore

/// The ranks of a data-parallel training job as the trainer sees them: who writes, and the collectives on models and metrics.
///
/// Every rank holds the whole model and trains on its share of each global batch;
/// they stay identical because they start identical (`broadcastModel` from rank 0)
/// and apply the same averaged gradients. Rank 0 alone writes the run folder; every
/// rank computes the same metrics (`sum`) and so takes the same decisions (best
/// checkpoint, stop). With one rank every collective is the identity and costs nothing.
public struct DataParallelGroup {
    public let communicator: any Communicator

    public init(communicator: any Communicator = SingleProcessCommunicator()) {
        self.communicator = communicator
    }

    public var rank: Int { communicator.rank }
    public var worldSize: Int { communicator.worldSize }
    /// Whether this rank writes logs, checkpoints, evaluations and the summary: rank 0.
    public var isWriter: Bool { communicator.rank == 0 }
    /// This rank's share of the data.
    var share: ReplicaShare { ReplicaShare(rank: rank, count: worldSize) }

    /// Checks that every rank trains the same recipe and the same model; the error names the ranks that differ.
    ///
    /// Ranks read the recipe each for itself (on a cluster, perhaps from different
    /// copies), so a stale file on one machine would otherwise train a silent mixture.
    func checkAgreement(recipe: Recipe, model: ResNet) throws {
        guard worldSize > 1 else { return }
        let mine = [Int64(bitPattern: FNV1a64.hash(recipe.fingerprint.utf8)),
                    Int64(bitPattern: Self.structureHash(of: model))]
        let all = try communicator.allGather(mine)
        let recipeDiffers = all.indices.filter { all[$0][0] != all[0][0] }
        guard recipeDiffers.isEmpty else {
            throw DataParallelError.recipesDiffer(ranks: recipeDiffers, fingerprint: recipe.fingerprint, rank: rank)
        }
        let modelDiffers = all.indices.filter { all[$0][1] != all[0][1] }
        guard modelDiffers.isEmpty else { throw DataParallelError.modelsDiffer(ranks: modelDiffers) }
    }

    /// Copies rank 0's parameters and running statistics to every other rank, so that all begin identical.
    func broadcastModel(_ model: some Layer) throws {
        guard worldSize > 1 else { return }
        for (_, parameter) in model.namedParameters() {
            try broadcast(parameter.value)
        }
        for (_, buffer) in model.namedBuffers() {
            if case .tensor(let tensor) = buffer.value { try broadcast(tensor) }
        }
    }

    /// Replaces every batch norm's running statistics by their average over the ranks (timm's `distribute_bn`).
    ///
    /// Without SyncBN each rank's statistics follow its own share of the batches; the
    /// evaluation (sharded over the ranks) and the checkpoint need one set.
    func averageRunningStatistics(_ model: some Layer) throws {
        guard worldSize > 1 else { return }
        for (_, buffer) in model.namedBuffers() {
            guard case .tensor(let tensor) = buffer.value else { continue }
            let values = tensor.storage.buffer(as: Float.self, count: tensor.elementCount)
            try communicator.allReduce(values, .sum)
            let scale = 1 / Float(worldSize)
            for index in values.indices { values[index] *= scale }
        }
    }

    /// The metrics of the whole evaluation set from each rank's share: counts, loss and confusion summed.
    func sum(_ metrics: EvaluationMetrics) throws -> EvaluationMetrics {
        guard worldSize > 1 else { return metrics }
        var counts = [Int64(metrics.count), Int64(metrics.top1Correct), Int64(metrics.top5Correct)]
            + metrics.confusion.flatMap { $0.map(Int64.init) }
        var loss = [metrics.lossSum]
        try communicator.allReduce(&counts, .sum)
        try communicator.allReduce(&loss, .sum)
        let classes = metrics.classes
        let confusion = (0..<classes).map { row in (0..<classes).map { Int(counts[3 + row * classes + $0]) } }
        return EvaluationMetrics(classes: classes, count: Int(counts[0]), top1Correct: Int(counts[1]),
                                 top5Correct: Int(counts[2]), lossSum: loss[0], confusion: confusion)
    }

    /// The ranks' mean of `loss`, and whether any rank was asked to stop: one small all-reduce per step.
    ///
    /// A signal may reach the ranks at different steps (or only one of them); deciding
    /// together keeps them in lockstep, so all save and stop after the same step.
    func agree(loss: Double, stopRequested: Bool) throws -> (meanLoss: Double, stop: Bool) {
        guard worldSize > 1 else { return (loss, stopRequested) }
        var values = [loss, stopRequested ? 1 : 0]
        try communicator.allReduce(&values, .sum)
        return (values[0] / Double(worldSize), values[1] > 0)
    }

    /// The sum over the ranks of each value.
    func sum(_ values: [Double]) throws -> [Double] {
        guard worldSize > 1 else { return values }
        var values = values
        try communicator.allReduce(&values, .sum)
        return values
    }

    private func broadcast(_ tensor: Tensor) throws {
        precondition(tensor.format.isPlain && tensor.dtype == .float32, "model state is plain float32")
        try communicator.broadcast(tensor.storage.buffer(as: Float.self, count: tensor.elementCount), from: 0)
    }

    /// A hash of every parameter's and buffer's path and shape: equal models, equal hashes.
    static func structureHash(of model: some Layer) -> UInt64 {
        var description = ""
        for (path, parameter) in model.namedParameters() {
            description += "\(path) \(parameter.shape.dimensions)\n"
        }
        for (path, buffer) in model.namedBuffers() {
            if case .tensor(let tensor) = buffer.value { description += "\(path) \(tensor.shape.dimensions)\n" }
        }
        return FNV1a64.hash(description.utf8)
    }
}

/// Ranks of one job that would not train the same thing.
public enum DataParallelError: Error, CustomStringConvertible, Equatable {
    case recipesDiffer(ranks: [Int], fingerprint: String, rank: Int)
    case modelsDiffer(ranks: [Int])

    public var description: String {
        switch self {
        case .recipesDiffer(let ranks, let fingerprint, let rank):
            "ranks \(ranks) read a different recipe than rank 0 (rank \(rank)'s fingerprint is \(fingerprint)); every "
                + "rank must read the same recipe file and --set overrides: check that the file is the same on every machine"
        case .modelsDiffer(let ranks):
            "ranks \(ranks) built a model with other parameters or shapes than rank 0 from the same recipe; expected "
                + "every rank to run the same hone build (and see the same data classes)"
        }
    }
}
