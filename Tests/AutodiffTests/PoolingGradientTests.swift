import Autodiff
import TensorCore
import Testing
import TestSupport

/// `pool2d`, `maxPool2d`, `averagePool2d` and `globalAveragePool`: gradients against central differences of the reference.
@Suite struct PoolingGradientTests {
    /// Values distinct within each plane (random order, spaced 1/8 apart), so no max-pool window has a tie.
    static func distinctValues(shape: [Int], seed: UInt64) -> ReferenceTensor {
        let planeSize = shape[2] * shape[3]
        var values: [Double] = []
        for plane in 0..<(shape[0] * shape[1]) {
            let keys = ReferenceTensor.random(shape: [planeSize], seed: seed + UInt64(plane)).values
            var ranks = [Double](repeating: 0, count: planeSize)
            for (rank, index) in keys.indices.sorted(by: { keys[$0] < keys[$1] }).enumerated() {
                ranks[index] = Double(rank) / 8 - 4
            }
            values += ranks
        }
        return ReferenceTensor(shape: shape, values: values)
    }

    static let geometries: [PoolingGeometry] = [
        PoolingGeometry(kind: .max, kernel: 3, stride: 2, padding: 1),
        PoolingGeometry(kind: .max, kernel: 3, stride: 2, ceilMode: true),
        PoolingGeometry(kind: .average(countIncludePadding: true), kernel: 3, stride: 2, padding: 1),
        PoolingGeometry(kind: .average(countIncludePadding: false), kernel: 3, stride: 2, padding: 1),
        PoolingGeometry(kind: .average(countIncludePadding: true), kernel: 3, stride: 2, padding: 1, ceilMode: true),
        PoolingGeometry(kind: .average(countIncludePadding: false), kernel: 2, stride: 2, ceilMode: true),
    ]

    @Test(arguments: geometries, [[2, 3, 7, 9], [1, 2, 6, 6]])
    func poolingGradientMatchesFiniteDifferences(geometry: PoolingGeometry, shape: [Int]) {
        _ = testBackend
        let x = Self.distinctValues(shape: shape, seed: 50)
        let input = parameter(x)
        let output = pool2d(input, geometry: geometry)
        expectClose(plainValues(output.value), Reference.pool2d(input: x, geometry: geometry), tolerance: .gradient,
                    "forward")
        let cotangent = backpropagateRandomCotangent(from: output, seed: 51)
        expectGradient(of: input, at: x) { Reference.dot(Reference.pool2d(input: $0, geometry: geometry), cotangent) }
    }

    /// The stem's max pool on a blocked 16-channel activation.
    @Test func maxPoolOfABlockedActivationMatchesFiniteDifferences() {
        _ = testBackend
        let x = Self.distinctValues(shape: [1, 16, 7, 9], seed: 60)
        let input = Variable(blocked(x.tensor()), requiresGradient: true)
        let output = maxPool2d(input, kernel: 3, stride: 2, padding: 1)
        let geometry = PoolingGeometry(kind: .max, kernel: 3, stride: 2, padding: 1)
        let cotangent = backpropagateRandomCotangent(from: output, seed: 61)
        expectGradient(of: input, at: x) { Reference.dot(Reference.pool2d(input: $0, geometry: geometry), cotangent) }
    }

    @Test(arguments: [false, true])
    func maxPool2dMatchesItsGeometry(ceilMode: Bool) {
        _ = testBackend
        let x = Self.distinctValues(shape: [2, 2, 8, 7], seed: 70)
        let input = parameter(x)
        let output = maxPool2d(input, kernel: 3, stride: 2, ceilMode: ceilMode)
        let geometry = PoolingGeometry(kind: .max, kernel: 3, stride: 2, ceilMode: ceilMode)
        expectClose(plainValues(output.value), Reference.pool2d(input: x, geometry: geometry), tolerance: .gradient)
        let cotangent = backpropagateRandomCotangent(from: output, seed: 71)
        expectGradient(of: input, at: x) { Reference.dot(Reference.pool2d(input: $0, geometry: geometry), cotangent) }
    }

    /// ResNet-D's shortcut (2, 2, ceil mode, padding not counted) and a padded average that counts padding.
    @Test(arguments: [(2, 0, true, false), (3, 1, false, true), (3, 1, true, true)])
    func averagePool2dMatchesItsGeometry(setting: (Int, Int, Bool, Bool)) {
        _ = testBackend
        let (kernel, padding, ceilMode, countIncludePadding) = setting
        let x = ReferenceTensor.random(shape: [2, 3, 7, 9], seed: 80)
        let input = parameter(x)
        let output = averagePool2d(input, kernel: kernel, stride: 2, padding: padding, ceilMode: ceilMode,
                                   countIncludePadding: countIncludePadding)
        let geometry = PoolingGeometry(kind: .average(countIncludePadding: countIncludePadding), kernel: kernel,
                                       stride: 2, padding: padding, ceilMode: ceilMode)
        expectClose(plainValues(output.value), Reference.pool2d(input: x, geometry: geometry), tolerance: .gradient)
        let cotangent = backpropagateRandomCotangent(from: output, seed: 81)
        expectGradient(of: input, at: x) { Reference.dot(Reference.pool2d(input: $0, geometry: geometry), cotangent) }
    }

    @Test(arguments: [([2, 3, 7, 9], false), ([2, 16, 3, 5], true)])
    func globalAveragePoolGradientMatchesFiniteDifferences(layout: ([Int], Bool)) {
        _ = testBackend
        let (shape, isBlocked) = layout
        let x = ReferenceTensor.random(shape: shape, seed: 90)
        let input = Variable(isBlocked ? blocked(x.tensor()) : x.tensor(), requiresGradient: true)
        let output = globalAveragePool(input)
        #expect(output.shape == [shape[0], shape[1]] && output.value.format.isPlain)
        expectClose(plainValues(output.value), Reference.globalAveragePool(x), tolerance: .gradient)
        let cotangent = backpropagateRandomCotangent(from: output, seed: 91)
        expectGradient(of: input, at: x) { Reference.dot(Reference.globalAveragePool($0), cotangent) }
    }
}
