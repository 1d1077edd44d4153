import DataPipeline

/// Which share of the data one data-parallel rank trains and evaluates on: rank `rank` of `count`.
///
/// Training: the epoch's shuffled order is cut to a multiple of `count` and strided,
/// so batch k of every rank together holds exactly the images of batch k of a single
/// process with the global batch (augmentations are drawn per image, so they match
/// too), every rank gets the same number of steps, and an epoch has as many steps
/// on any number of ranks — which is what lets a run resume on another count.
/// Evaluation: rank r takes images r, r + count, … with no padding, so the summed
/// counts cover every test image exactly once.
public struct ReplicaShare: Sendable, Equatable {
    public let rank: Int
    public let count: Int

    /// The whole data set: a single process.
    public static let whole = ReplicaShare(rank: 0, count: 1)

    public init(rank: Int, count: Int) {
        precondition(count >= 1 && (0..<count).contains(rank), "rank \(rank) is not one of 0..<\(count)")
        self.rank = rank
        self.count = count
    }

    /// This share of a shuffled training order (a whole number of global batches' worth).
    var shuffledTraining: Sampler {
        Sampler(order: .shuffled, replicaRank: rank, replicaCount: count, dropsUnevenTail: true)
    }

    /// This share of `order` (training with repeated augmentation spreads an image's repeats over the ranks).
    func sampler(_ order: Sampler.Order) -> Sampler {
        order == .shuffled ? shuffledTraining
                           : Sampler(order: order, replicaRank: rank, replicaCount: count)
    }

    /// This share of the evaluation set, in order, every image on exactly one rank.
    var evaluation: Sampler { Sampler(order: .sequential, replicaRank: rank, replicaCount: count) }
}
