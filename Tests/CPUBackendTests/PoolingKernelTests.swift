import CPUBackend
import TensorCore
import Testing
import TestSupport

/// oneDNN's max and average pooling, forward and backward, against `Reference.pool2d` (PyTorch's semantics).
///
/// The cases are the ones where backends disagree: padding, ceil mode with a last
/// window that runs past the input, and — for averages that count padding — past the
/// padding itself, where PyTorch divides by the window clipped to the padded input.
@Suite struct PoolingKernelTests {
    /// One pooling geometry on one input shape and layout.
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let shape: [Int]
        let geometry: PoolingGeometry
        let isBlocked: Bool

        var testDescription: String { name }
        var outputShape: [Int] { geometry.outputShape(input: Shape(shape)).dimensions }

        /// Values distinct within each plane and exact in bfloat16, so a maximum has no ties in either precision.
        var input: ReferenceTensor {
            let planeSize = shape[2] * shape[3]
            precondition(planeSize <= 256, "distinct bfloat16 values need planes of at most 256 elements")
            var values: [Double] = []
            for plane in 0..<(shape[0] * shape[1]) {
                let keys = ReferenceTensor.random(shape: [planeSize], seed: 400 + UInt64(plane)).values
                var ranks = [Double](repeating: 0, count: planeSize)
                for (rank, index) in keys.indices.sorted(by: { keys[$0] < keys[$1] }).enumerated() {
                    ranks[index] = Double(rank) / 8 - 4
                }
                values += ranks
            }
            return ReferenceTensor(shape: shape, values: values)
        }
        var cotangent: ReferenceTensor { .random(shape: outputShape, seed: 450) }

        func tensor(_ reference: ReferenceTensor, _ precision: Precision) -> Tensor {
            let plain = precision.tensor(reference)
            return isBlocked ? blocked(plain) : plain
        }

        static let all: [Case] = [
            Case(name: "max 3/2/1 on 7x9", shape: [2, 3, 7, 9],
                 geometry: PoolingGeometry(kind: .max, kernel: 3, stride: 2, padding: 1), isBlocked: false),
            Case(name: "max 3/2/1 on 7x9 blocked", shape: [1, 16, 7, 9],
                 geometry: PoolingGeometry(kind: .max, kernel: 3, stride: 2, padding: 1), isBlocked: true),
            Case(name: "max 3/2 ceil mode on 8x8", shape: [1, 2, 8, 8],
                 geometry: PoolingGeometry(kind: .max, kernel: 3, stride: 2, ceilMode: true), isBlocked: false),
            Case(name: "max 2/2 ceil mode on 7x9", shape: [2, 2, 7, 9],
                 geometry: PoolingGeometry(kind: .max, kernel: 2, stride: 2, ceilMode: true), isBlocked: false),
            Case(name: "average 3/2/1 including padding on 7x9", shape: [2, 3, 7, 9],
                 geometry: PoolingGeometry(kind: .average(countIncludePadding: true), kernel: 3, stride: 2, padding: 1),
                 isBlocked: false),
            Case(name: "average 3/2/1 excluding padding on 7x9", shape: [2, 3, 7, 9],
                 geometry: PoolingGeometry(kind: .average(countIncludePadding: false), kernel: 3, stride: 2, padding: 1),
                 isBlocked: false),
            Case(name: "average 3/2/1 including padding, ceil mode past the padding, on 6x6", shape: [1, 2, 6, 6],
                 geometry: PoolingGeometry(kind: .average(countIncludePadding: true), kernel: 3, stride: 2, padding: 1,
                                           ceilMode: true),
                 isBlocked: false),
            Case(name: "average 3/2/1 excluding padding, ceil mode past the padding, on 6x6", shape: [1, 2, 6, 6],
                 geometry: PoolingGeometry(kind: .average(countIncludePadding: false), kernel: 3, stride: 2, padding: 1,
                                           ceilMode: true),
                 isBlocked: false),
            Case(name: "average 2/2 ceil mode excluding padding (ResNet-D shortcut) on 7x9", shape: [2, 3, 7, 9],
                 geometry: PoolingGeometry(kind: .average(countIncludePadding: false), kernel: 2, stride: 2,
                                           ceilMode: true),
                 isBlocked: false),
            Case(name: "average 2/2 ceil mode including padding on 7x9", shape: [2, 3, 7, 9],
                 geometry: PoolingGeometry(kind: .average(countIncludePadding: true), kernel: 2, stride: 2,
                                           ceilMode: true),
                 isBlocked: false),
            Case(name: "average 3x2 / 2x1 / 1x0 including padding, ceil mode, anisotropic, on 6x5", shape: [2, 2, 6, 5],
                 geometry: PoolingGeometry(kind: .average(countIncludePadding: true), kernel: (3, 2), stride: (2, 1),
                                           padding: (1, 0), ceilMode: true),
                 isBlocked: false),
            Case(name: "max 3x2 / 2x1 / 1x1 ceil mode, anisotropic, on 6x5", shape: [2, 2, 6, 5],
                 geometry: PoolingGeometry(kind: .max, kernel: (3, 2), stride: (2, 1), padding: (1, 1), ceilMode: true),
                 isBlocked: false),
            Case(name: "average 3/2/1 including padding, ceil mode, blocked, on 6x6", shape: [1, 16, 6, 6],
                 geometry: PoolingGeometry(kind: .average(countIncludePadding: true), kernel: 3, stride: 2, padding: 1,
                                           ceilMode: true),
                 isBlocked: true),
        ]
    }

    @Test(arguments: Case.all, Precision.available)
    func poolingForwardMatchesReference(pooling: Case, precision: Precision) {
        let backend = testBackend
        let input = precision.rounded(pooling.input)
        let (output, _) = backend.poolingForward(input: pooling.tensor(input, precision), geometry: pooling.geometry)
        #expect(output.shape.dimensions == pooling.outputShape)
        #expect(output.dtype == precision.dtype)
        let expected = Reference.pool2d(input: input, geometry: pooling.geometry)
        expectClose(plainValues(output), expected, tolerance: precision.tolerance)
    }

    @Test(arguments: Case.all, Precision.available)
    func poolingBackwardMatchesReference(pooling: Case, precision: Precision) {
        let backend = testBackend
        let input = precision.rounded(pooling.input)
        let cotangent = precision.rounded(pooling.cotangent)
        let inputTensor = pooling.tensor(input, precision)
        let (output, workspace) = backend.poolingForward(input: inputTensor, geometry: pooling.geometry)
        let gradient = backend.poolingBackward(gradientOfOutput: backend.reorder(precision.tensor(cotangent),
                                                                                  to: output.format),
                                               input: inputTensor, geometry: pooling.geometry, workspace: workspace)
        #expect(gradient.shape.dimensions == pooling.shape)
        let expected = FiniteDifferences.gradient(at: input) {
            Reference.dot(Reference.pool2d(input: $0, geometry: pooling.geometry), cotangent)
        }
        expectClose(plainValues(gradient), expected, tolerance: precision.tolerance)
    }

    /// A cotangent in a layout other than the output's (plain, from a reshape) gives the same gradient.
    @Test func poolingBackwardAcceptsAPlainGradientOfABlockedOutput() {
        let backend = testBackend
        let pooling = Case.all[1]
        let input = pooling.input
        let inputTensor = pooling.tensor(input, .float32)
        let (output, workspace) = backend.poolingForward(input: inputTensor, geometry: pooling.geometry)
        #expect(!output.format.isPlain)
        let gradient = backend.poolingBackward(gradientOfOutput: pooling.cotangent.tensor(), input: inputTensor,
                                               geometry: pooling.geometry, workspace: workspace)
        let expected = FiniteDifferences.gradient(at: input) {
            Reference.dot(Reference.pool2d(input: $0, geometry: pooling.geometry), pooling.cotangent)
        }
        expectClose(plainValues(gradient), expected, tolerance: Precision.float32.tolerance)
    }
}
