/// Where a run is, as a checkpoint records it: enough to continue bit-exactly.
///
/// The data loader draws from (seed, epoch, position) alone, so the epoch and the
/// next batch index restore it; the model's own generator (drop path, dropout) is
/// saved by its state.
public struct TrainingProgress: Sendable, Equatable {
    /// The epoch in progress, from 0.
    public var epoch: Int
    /// The next batch of `epoch` to train on.
    public var batchInEpoch: Int
    /// Optimizer steps taken since the start of the run.
    public var step: Int
    /// The best evaluation top-1 so far, in percent.
    public var bestTop1: Double?
    /// The state of the model's random generator.
    public var modelRandomState: UInt64
    /// The fingerprint of the recipe the run was started with.
    public var recipeFingerprint: String
    /// The sum of the training losses of `epoch`'s batches so far (for the epoch's mean in summary.csv).
    public var epochLossSum: Double
    /// Seconds of training in earlier sessions of this run (wall time carries over a resume).
    public var elapsedSeconds: Double
    /// How many data-parallel ranks trained up to this point (1 without `mpirun`); a resume may use another number.
    public var worldSize: Int

    public init(epoch: Int, batchInEpoch: Int, step: Int, bestTop1: Double?, modelRandomState: UInt64,
                recipeFingerprint: String, epochLossSum: Double, elapsedSeconds: Double, worldSize: Int = 1) {
        self.epoch = epoch
        self.batchInEpoch = batchInEpoch
        self.step = step
        self.bestTop1 = bestTop1
        self.modelRandomState = modelRandomState
        self.recipeFingerprint = recipeFingerprint
        self.epochLossSum = epochLossSum
        self.elapsedSeconds = elapsedSeconds
        self.worldSize = worldSize
    }
}
