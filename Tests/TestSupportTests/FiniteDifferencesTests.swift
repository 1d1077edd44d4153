import Foundation
import Testing
import TestSupport

/// The finite-difference helper against functions whose gradients are known in closed form.
struct FiniteDifferencesTests {
    /// `f(x) = Σ sin(xᵢ)·xᵢ₊₁ + exp(x₀)`: smooth, coupled, with every coordinate mattering.
    private static func function(_ x: [Double]) -> Double {
        var total = exp(x[0])
        for index in 0..<(x.count - 1) { total += sin(x[index]) * x[index + 1] }
        return total
    }

    /// The closed-form gradient of `function`.
    private static func analyticGradient(_ x: [Double]) -> [Double] {
        var gradient = [Double](repeating: 0, count: x.count)
        gradient[0] = exp(x[0])
        for index in 0..<(x.count - 1) {
            gradient[index] += cos(x[index]) * x[index + 1]
            gradient[index + 1] += sin(x[index])
        }
        return gradient
    }

    @Test func gradientMatchesTheAnalyticGradient() {
        let point = ReferenceTensor.normal(shape: [12], seed: 7).values
        let numeric = FiniteDifferences.gradient(at: point, of: Self.function)
        expectClose(numeric, Self.analyticGradient(point), tolerance: Tolerance(relative: 1e-8, absolute: 1e-8))
    }

    @Test func probedGradientMatchesTheAnalyticGradientAtTheProbedIndices() {
        let point = ReferenceTensor.normal(shape: [200], seed: 8).values
        let probed = FiniteDifferences.gradient(at: point, probing: 16, seed: 3, of: Self.function)
        #expect(probed.count == 16)
        #expect(Set(probed.keys) == Set(FiniteDifferences.probeIndices(count: 16, elementCount: 200, seed: 3)))
        expectClose(Self.analyticGradient(point), probed, tolerance: Tolerance(relative: 1e-8, absolute: 1e-8))
    }

    @Test func tensorGradientOfADotProductIsTheCotangent() {
        let point = ReferenceTensor.random(shape: [2, 3], seed: 9)
        let cotangent = ReferenceTensor.random(shape: [2, 3], seed: 10)
        let gradient = FiniteDifferences.gradient(at: point) { Reference.dot($0, cotangent) }
        #expect(gradient.shape == [2, 3])
        expectClose(gradient, cotangent, tolerance: Tolerance(relative: 1e-9, absolute: 1e-9))
    }

    @Test func probeIndicesAreDistinctSortedAndDeterministic() {
        let indices = FiniteDifferences.probeIndices(count: 50, elementCount: 1000, seed: 42)
        #expect(indices.count == 50)
        #expect(Set(indices).count == 50)
        #expect(indices == indices.sorted())
        #expect(indices.allSatisfy { (0..<1000).contains($0) })
        #expect(indices == FiniteDifferences.probeIndices(count: 50, elementCount: 1000, seed: 42))
        #expect(indices != FiniteDifferences.probeIndices(count: 50, elementCount: 1000, seed: 43))
        #expect(FiniteDifferences.probeIndices(count: 10, elementCount: 4) == [0, 1, 2, 3])
    }

    @Test func probeIndicesCoverEveryPositionOverManySeeds() {
        var seen = Set<Int>()
        for seed in 0..<200 { seen.formUnion(FiniteDifferences.probeIndices(count: 3, elementCount: 20, seed: UInt64(seed))) }
        #expect(seen == Set(0..<20))
    }
}
