/// One epoch's sample order cut into batches, able to prepare any batch on its own.
///
/// Shapes: `order` holds the sample positions the epoch visits (a sampler's
/// output); batch `k` is `order[k × batchSize ..< min((k + 1) × batchSize, order.count)]`,
/// and `batchCount` stops before a short last batch when the loader drops it. Any
/// batch can be prepared from the plan alone, on any thread and in any order,
/// which is what makes resuming and parallel prefetch exact.
struct EpochPlan<Maker: BatchMaking>: Sendable {
    let maker: Maker
    let epoch: Int
    let order: [Int]
    let batchSize: Int
    let batchCount: Int

    /// The sample indices of batch `number`.
    func indices(ofBatch number: Int) -> ArraySlice<Int> {
        precondition(number >= 0 && number < batchCount, "batch \(number) is outside 0..<\(batchCount)")
        let start = number * batchSize
        return order[start..<min(start + batchSize, order.count)]
    }

    /// Prepares batch `number` of the epoch.
    func batch(_ number: Int) throws(Maker.Failure) -> FloatBatch {
        try maker.batch(indices: indices(ofBatch: number), epoch: epoch, number: number)
    }
}
