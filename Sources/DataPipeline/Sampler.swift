/// Which samples one replica visits in an epoch, and in what order: sequential, shuffled, or with repeated augmentation.
///
/// Shapes: `indices(sampleCount:seed:epoch:)` returns positions in `0..<sampleCount`
/// for replica `replicaRank` of `replicaCount`. Semantics follow PyTorch and timm so
/// recipes mean the same thing:
/// - `sequential` is exact evaluation: replica r takes samples r, r + R, r + 2R, …
///   with no padding, so over all replicas every sample is visited exactly once
///   (PyTorch's `DistributedSampler` would pad with duplicates and bias the metric).
/// - `shuffled` is a seeded permutation per epoch; with several replicas it is
///   padded by repeating its head to a multiple of R, then strided, as
///   `DistributedSampler(shuffle=True, drop_last=False)` does, so replicas get
///   equal shares and step in lockstep. With `dropsUnevenTail` the permutation's
///   last `count mod R` samples are left out instead (`drop_last=True`): the
///   replicas' batch k then holds exactly the samples of a single process's batch
///   k of R times the size, which is what makes data-parallel training equal to
///   training on one process with the global batch.
/// - `repeatedAugmentation` is timm's `RepeatAugSampler` (Hoffer et al., "Augment
///   your batch"; Berman et al., multi-grain): each shuffled sample appears
///   `repeats` times in a row, the list is padded and strided so the repeats land
///   on different replicas (each sees the image under its own augmentation), and
///   each replica keeps only its first `⌊count / round⌋ · round / R` indices
///   (`ceil(count / R)` when `selectedRound` is 0), so an epoch costs about as many
///   steps as an ordinary one.
/// The permutation depends only on (seed, epoch), never on the rank, so replicas
/// agree on it without talking to each other.
public struct Sampler: Sendable, Equatable {
    /// How an epoch's order is made.
    public enum Order: Sendable, Equatable {
        /// `0..<count`: evaluation.
        case sequential
        /// A fresh seeded permutation each epoch.
        case shuffled
        /// Each shuffled sample `repeats` times, spread over replicas; timm's default round is 256.
        case repeatedAugmentation(repeats: Int, selectedRound: Int)
    }

    /// How the order is made.
    public var order: Order
    /// This replica's position among the data-parallel replicas, `0..<replicaCount`.
    public var replicaRank: Int
    /// Number of data-parallel replicas.
    public var replicaCount: Int
    /// Whether a shuffled order is cut to `⌊count / replicaCount⌋` per replica instead of padded with repeats.
    public var dropsUnevenTail: Bool

    /// Describes a sampler for one replica.
    ///
    /// - Precondition: `0 <= replicaRank < replicaCount`; for repeated augmentation
    ///   `repeats >= 1` and `selectedRound >= 0`.
    public init(order: Order, replicaRank: Int = 0, replicaCount: Int = 1, dropsUnevenTail: Bool = false) {
        precondition(replicaCount > 0 && (0..<replicaCount).contains(replicaRank),
                     "replica rank \(replicaRank) must lie in 0..<\(replicaCount)")
        if case .repeatedAugmentation(let repeats, let selectedRound) = order {
            precondition(repeats >= 1 && selectedRound >= 0,
                         "repeated augmentation needs repeats ≥ 1 and a round ≥ 0, got \(repeats) and \(selectedRound)")
        }
        self.order = order
        self.replicaRank = replicaRank
        self.replicaCount = replicaCount
        self.dropsUnevenTail = dropsUnevenTail
    }

    /// The sample positions this replica visits in `epoch`, in order.
    public func indices(sampleCount: Int, seed: UInt64, epoch: Int) -> [Int] {
        switch order {
        case .sequential:
            return Array(stride(from: replicaRank, to: sampleCount, by: replicaCount))
        case .shuffled:
            let permutation = CounterRandomGenerator.permutation(count: sampleCount, seed: seed, epoch: epoch)
            guard replicaCount > 1 else { return permutation }
            if dropsUnevenTail { return strided(Array(permutation.prefix(sampleCount / replicaCount * replicaCount))) }
            return strided(padded(permutation, toMultipleOf: replicaCount))
        case .repeatedAugmentation(let repeats, let selectedRound):
            let permutation = CounterRandomGenerator.permutation(count: sampleCount, seed: seed, epoch: epoch)
            let repeated = permutation.flatMap { [Int](repeating: $0, count: repeats) }
            let share = strided(padded(repeated, toMultipleOf: replicaCount))
            let selected = selectedRound > 0
                ? sampleCount / selectedRound * selectedRound / replicaCount
                : (sampleCount + replicaCount - 1) / replicaCount
            return Array(share.prefix(selected))
        }
    }

    /// `list` with its head repeated at its end up to a multiple of `multiple` (whole copies first if it is short).
    private func padded(_ list: [Int], toMultipleOf multiple: Int) -> [Int] {
        guard !list.isEmpty else { return list }
        let total = (list.count + multiple - 1) / multiple * multiple
        var result = list
        while result.count < total {
            result.append(contentsOf: list.prefix(total - result.count))
        }
        return result
    }

    /// Every `replicaCount`-th element of `list`, starting at this replica's rank.
    private func strided(_ list: [Int]) -> [Int] {
        stride(from: replicaRank, to: list.count, by: replicaCount).map { list[$0] }
    }
}
