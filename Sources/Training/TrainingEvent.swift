/// What the training loop reports to its observers.
public enum TrainingEvent: Sendable {
    /// An optimizer step finished; `step` counts steps since the start of the run, `loss` is this rank's batch loss.
    case stepEnd(step: Int, loss: Double, learningRate: Double)
    /// An epoch finished (epochs count from 0), with its evaluation when one ran.
    case epochEnd(epoch: Int, trainLoss: Double, evaluation: EvaluationMetrics?)
}
