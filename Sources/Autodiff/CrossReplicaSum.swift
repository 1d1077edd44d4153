/// Sums values elementwise across the data-parallel replicas: the one collective SyncBN needs.
///
/// Autodiff knows nothing of MPI; the trainer hands the batch norms an
/// implementation over its communicator. Every replica calls it with the same count
/// in the same order (each SyncBN layer once in forward, once in backward). A failure
/// is the implementation's to handle: the MPI one ends the job with a message, since
/// a replica that went on alone would only leave the others waiting.
public protocol CrossReplicaSum: AnyObject {
    /// Replaces `values` by their elementwise sum over every replica.
    func sumAcrossReplicas(_ values: inout [Double])
}
