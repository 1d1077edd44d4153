import TensorCore

/// Central finite differences of a scalar function of many variables, in Float64.
///
/// `∂f/∂xᵢ ≈ (f(x + h·eᵢ) − f(x − h·eᵢ)) / 2h`, with error O(h²) from truncation plus
/// about `ε·|f| / h` from rounding; with Float64 and the default `h = 1e-6` both are near
/// 1e-10 relative for smooth functions of order-one inputs. Points where the function has
/// a kink (ReLU at 0, the maximum of a pooling window with ties) must be avoided by the
/// test's choice of inputs.
///
/// Every differentiable Hone op is checked this way: the analytic pullback against these
/// numbers on the `Reference` implementation, never against itself.
public enum FiniteDifferences {
    /// The full gradient of `function` at `point`: one central difference per coordinate.
    ///
    /// Shapes: `point` [n] → [n]. Costs 2n evaluations, so for big inputs use
    /// `gradient(at:probing:seed:step:of:)`.
    public static func gradient(at point: [Double], step: Double = 1e-6,
                                of function: ([Double]) -> Double) -> [Double] {
        var coordinates = point
        return point.indices.map { index in
            derivative(at: &coordinates, index: index, step: step, of: function)
        }
    }

    /// The gradient at a deterministic sample of `count` coordinates: flat index → derivative.
    ///
    /// Shapes: `point` [n]; the result has `min(count, n)` entries, at the indices
    /// `probeIndices(count:elementCount:seed:)` names. A convolution's weight gradient with
    /// thousands of entries is checked at, say, 64 of them in 128 evaluations instead of
    /// thousands, and the same seed always probes the same places.
    public static func gradient(at point: [Double], probing count: Int, seed: UInt64 = 0, step: Double = 1e-6,
                                of function: ([Double]) -> Double) -> [Int: Double] {
        var coordinates = point
        var derivatives: [Int: Double] = [:]
        for index in probeIndices(count: count, elementCount: point.count, seed: seed) {
            derivatives[index] = derivative(at: &coordinates, index: index, step: step, of: function)
        }
        return derivatives
    }

    /// The gradient of a function of a tensor, shaped like the tensor.
    ///
    /// Shapes: `point` any → the same shape. A convenience over `gradient(at:step:of:)` so
    /// tests can write `FiniteDifferences.gradient(at: x) { Reference.dot(op($0), cotangent) }`.
    public static func gradient(at point: ReferenceTensor, step: Double = 1e-6,
                                of function: (ReferenceTensor) -> Double) -> ReferenceTensor {
        let values = gradient(at: point.values, step: step) { function(ReferenceTensor(shape: point.shape, values: $0)) }
        return ReferenceTensor(shape: point.shape, values: values)
    }

    /// The probed gradient of a function of a tensor: flat index → derivative.
    ///
    /// Shapes: `point` any; indices are row-major positions in `point.values`.
    public static func gradient(at point: ReferenceTensor, probing count: Int, seed: UInt64 = 0,
                                step: Double = 1e-6, of function: (ReferenceTensor) -> Double) -> [Int: Double] {
        gradient(at: point.values, probing: count, seed: seed, step: step) {
            function(ReferenceTensor(shape: point.shape, values: $0))
        }
    }

    /// `count` distinct indices in `0..<elementCount`, chosen by `seed`, in ascending order.
    ///
    /// All of them when `count ≥ elementCount`. A partial Fisher–Yates shuffle driven by
    /// `SeededGenerator`, so the choice is uniform (up to a modulo bias below 2⁻³²
    /// for any realistic size), deterministic across toolchains, and linear in `count`.
    public static func probeIndices(count: Int, elementCount: Int, seed: UInt64 = 0) -> [Int] {
        precondition(count >= 0 && elementCount >= 0, "probe \(count) of \(elementCount) indices")
        guard count < elementCount else { return Array(0..<elementCount) }
        var generator = SeededGenerator(seed: seed)
        var swapped: [Int: Int] = [:]
        var chosen: [Int] = []
        chosen.reserveCapacity(count)
        for position in 0..<count {
            let other = position + Int(generator.next() % UInt64(elementCount - position))
            let picked = swapped[other] ?? other
            swapped[other] = swapped[position] ?? position
            chosen.append(picked)
        }
        return chosen.sorted()
    }

    /// One central difference along coordinate `index`, restoring that coordinate afterwards.
    ///
    /// Divides by the distance actually stepped, `(x + h) − (x − h)` as rounded, not by 2h.
    private static func derivative(at coordinates: inout [Double], index: Int, step: Double,
                                   of function: ([Double]) -> Double) -> Double {
        let original = coordinates[index]
        let (upper, lower) = (original + step, original - step)
        coordinates[index] = upper
        let above = function(coordinates)
        coordinates[index] = lower
        let below = function(coordinates)
        coordinates[index] = original
        return (above - below) / (upper - lower)
    }
}
