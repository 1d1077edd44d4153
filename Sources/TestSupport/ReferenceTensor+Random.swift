import TensorCore

extension ReferenceTensor {
    /// A tensor of independent uniform draws from `range`, determined by `seed` alone.
    ///
    /// Element `i` (row-major) is the `i`-th draw of `SeededGenerator(seed: seed)` (SplitMix64), so the same
    /// seed and shape give the same tensor on every machine; tests name their inputs by seed.
    public static func random(shape: [Int], seed: UInt64, range: ClosedRange<Double> = -1...1) -> ReferenceTensor {
        var generator = SeededGenerator(seed: seed)
        let count = shape.reduce(1, *)
        return ReferenceTensor(shape: shape, values: (0..<count).map { _ in generator.uniform(in: range) })
    }

    /// A tensor of independent normal draws with the given mean and standard deviation, determined by `seed` alone.
    ///
    /// Element `i` (row-major) is the `i`-th Box–Muller draw of `SeededGenerator(seed: seed)` (SplitMix64).
    public static func normal(shape: [Int], seed: UInt64, mean: Double = 0,
                              standardDeviation: Double = 1) -> ReferenceTensor {
        var generator = SeededGenerator(seed: seed)
        let count = shape.reduce(1, *)
        return ReferenceTensor(shape: shape, values: (0..<count).map { _ in
            generator.normal(mean: mean, standardDeviation: standardDeviation)
        })
    }
}
