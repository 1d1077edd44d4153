import Autodiff
import Layers
import TensorCore
import Testing
import TestSupport

/// `BatchNorm2D.replicas`: SyncBN in the layer, running statistics from the global batch.
@Suite struct SyncBatchNormLayerTests {
    /// Adds a second replica holding a copy of this one's batch: the global batch is the batch twice.
    final class MirroredReplica: CrossReplicaSum {
        func sumAcrossReplicas(_ values: inout [Double]) {
            for index in values.indices { values[index] *= 2 }
        }
    }

    /// The batch twice has the same mean and biased variance but twice the count, so only the unbiased
    /// correction of the running variance, n/(n − 1), tells the global batch from the local one.
    @Test func runningStatisticsFollowTheGlobalBatch() {
        _ = testBackend
        let batch = ReferenceTensor.random(shape: [2, 3, 2, 2], seed: 60, range: -1...3)
        let doubled = ReferenceTensor(shape: [4, 3, 2, 2], values: batch.values + batch.values)
        let synced = BatchNorm2D(channels: 3)
        synced.replicas = MirroredReplica()
        let whole = BatchNorm2D(channels: 3)
        let syncedOutput = synced(Variable(batch.tensor()))
        _ = whole(Variable(doubled.tensor()))
        let wholeRunning = whole.runningVariance.tensor.scalars.map(Double.init)
        expectClose(synced.runningMean.tensor.scalars, whole.runningMean.tensor.scalars.map(Double.init),
                    tolerance: Tolerance(relative: 1e-5, absolute: 1e-6), "running mean")
        expectClose(synced.runningVariance.tensor.scalars, wholeRunning,
                    tolerance: Tolerance(relative: 1e-5, absolute: 1e-6), "running variance (8 → 16 values per channel)")
        let local = BatchNorm2D(channels: 3)
        _ = local(Variable(batch.tensor()))
        #expect(zip(local.runningVariance.tensor.scalars, wholeRunning).allSatisfy { abs(Double($0) - $1) > 1e-4 },
                "the local correction 8/7 differs from the global 16/15")
        #expect(syncedOutput.shape == [2, 3, 2, 2])
    }

    /// Without replicas, or in evaluation mode, nothing is summed.
    @Test func noReplicasOrEvaluationKeepPlainBatchNorm() {
        _ = testBackend
        let input = Variable(ReferenceTensor.random(shape: [2, 3, 2, 2], seed: 61).tensor())
        let plain = BatchNorm2D(channels: 3)
        let synced = BatchNorm2D(channels: 3)
        synced.replicas = MirroredReplica()
        synced.isTraining = false
        plain.isTraining = false
        #expect(synced(input).value.scalars == plain(input).value.scalars)
    }
}
