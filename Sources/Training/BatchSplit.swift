import Recipes

/// How a step's global batch divides over data-parallel ranks and micro-batches: the one place the three are related.
///
/// Shapes: `global` = `ranks` × `perRank`, and `perRank` = `accumulationSteps` ×
/// `microBatch`. The recipe's `data.batch_size` is the global batch, the batch the
/// optimizer steps on and the learning rate's scaling rule reads, so a recipe means
/// the same training on one process and on 64 (as the reports' "batch 1024 on 8
/// GPUs" is one batch of 1024). Each rank loads `perRank` images per step and runs
/// them as `accumulationSteps` forward and backward passes of `microBatch`.
public struct BatchSplit: Sendable, Equatable {
    /// Images per optimizer step over all ranks: `data.batch_size`.
    public let global: Int
    /// Data-parallel ranks.
    public let ranks: Int
    /// Micro-batches each rank accumulates per step: `gradient.accumulation_steps`.
    public let accumulationSteps: Int

    /// Images each rank loads per step.
    public var perRank: Int { global / ranks }
    /// Images in one forward and backward pass.
    public var microBatch: Int { perRank / accumulationSteps }

    /// The split of `recipe`'s batch over `ranks`; throws naming `data.batch_size` or `gradient.accumulation_steps`
    /// when it does not divide evenly.
    public init(recipe: Recipe, ranks: Int) throws {
        precondition(ranks >= 1, "a job has at least one rank, got \(ranks)")
        global = recipe.data.batchSize
        self.ranks = ranks
        accumulationSteps = recipe.gradient.accumulationSteps
        guard global % ranks == 0 else {
            throw DataConfigurationError(
                key: "data.batch_size",
                message: "the global batch of \(global) does not split evenly over \(ranks) ranks; expected a multiple "
                    + "of \(ranks) (each rank loads batch_size / ranks images per step)")
        }
        guard perRank % accumulationSteps == 0 else {
            let place = ranks > 1 ? "each rank's \(perRank) images (data.batch_size \(global) over \(ranks) ranks)"
                                  : "data.batch_size \(global)"
            throw DataConfigurationError(
                key: "gradient.accumulation_steps",
                message: "\(accumulationSteps) micro-batches do not divide \(place) evenly; expected a divisor of "
                    + "\(perRank)")
        }
    }

    /// "global batch 256 = 2 ranks × 128 (4 micro-batches of 32)": the line the run's log starts with.
    public var description: String {
        var text = "global batch \(global)"
        if ranks > 1 { text += " = \(ranks) ranks × \(perRank)" }
        if accumulationSteps > 1 { text += " (\(accumulationSteps) micro-batches of \(microBatch))" }
        return text
    }
}
