import Autodiff
import Distributed

/// SyncBN's cross-replica sum over a communicator: one all-reduce of Doubles, or the end of the job if it fails.
///
/// Why abort: the sum happens inside a forward or backward pass, which cannot throw,
/// and a rank that went on without it would only leave the others waiting.
final class CommunicatorSum: CrossReplicaSum {
    let communicator: any Communicator

    init(communicator: any Communicator) {
        self.communicator = communicator
    }

    func sumAcrossReplicas(_ values: inout [Double]) {
        do {
            try communicator.allReduce(&values, .sum)
        } catch {
            communicator.abort("SyncBN's all-reduce of \(values.count) statistics failed: \(error)")
        }
    }
}
