import Foundation

extension CounterRandomGenerator {
    /// A draw from Gamma(shape, 1), by Marsaglia and Tsang's squeeze method.
    ///
    /// Shapes below 1 use the boost Gamma(a) = Gamma(a + 1) · U^(1/a), so one
    /// method covers the small alphas mixup uses (0.1–0.4). Numbers come only from
    /// this generator, so the draw is fixed by its key like every other augmentation.
    mutating func gamma(shape: Double) -> Double {
        precondition(shape > 0, "a gamma distribution's shape must be positive, got \(shape)")
        if shape < 1 {
            let boosted = gamma(shape: shape + 1)
            return boosted * pow(1 - unitInterval(), 1 / shape)
        }
        let d = shape - 1.0 / 3
        let c = 1 / (9 * d).squareRoot()
        while true {
            var x: Double
            var v: Double
            repeat {
                x = standardNormal()
                v = 1 + c * x
            } while v <= 0
            v = v * v * v
            let u = 1 - unitInterval()
            if u < 1 - 0.0331 * x * x * x * x { return d * v }
            if log(u) < 0.5 * x * x + d * (1 - v + log(v)) { return d * v }
        }
    }

    /// A draw from Beta(a, b) as X / (X + Y) with X ~ Gamma(a), Y ~ Gamma(b): mixup's λ.
    mutating func beta(_ a: Double, _ b: Double) -> Double {
        let x = gamma(shape: a)
        let y = gamma(shape: b)
        let total = x + y
        // Both gammas underflow to 0 only for tiny shapes; the limit then puts all mass on 0 or 1.
        guard total > 0 else { return coin() ? 1 : 0 }
        return x / total
    }
}
