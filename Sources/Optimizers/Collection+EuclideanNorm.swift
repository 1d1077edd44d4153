extension Collection where Element == Float {
    /// The L2 norm √(Σ x²), accumulated in Double so that a layer's million terms lose no precision.
    var euclideanNorm: Double {
        squaredEuclideanNorm.squareRoot()
    }

    /// Σ x², accumulated in Double (LAMB sums these over every parameter for the global norm).
    var squaredEuclideanNorm: Double {
        reduce(0) { sum, value in sum + Double(value) * Double(value) }
    }
}
