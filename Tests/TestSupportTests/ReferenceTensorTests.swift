import TensorCore
import Testing
import TestSupport

/// `ReferenceTensor`'s indexing, conversions and seeded construction.
struct ReferenceTensorTests {
    @Test func subscriptsAreRowMajor() {
        var tensor = ReferenceTensor(shape: [2, 3, 4], values: (0..<24).map(Double.init))
        #expect(tensor[1, 2, 3] == 23)
        #expect(tensor[0, 1, 0] == 4)
        #expect(tensor.strides == [12, 4, 1])
        #expect(tensor.indices(ofFlatIndex: 17) == [1, 1, 1])
        tensor[indices: [1, 0, 2]] = -1
        #expect(tensor.values[14] == -1)
    }

    @Test func roundTripsThroughAFloat32Tensor() {
        let reference = ReferenceTensor(shape: [2, 2], values: [0.5, -1.25, 3, 1e-3])
        let tensor = reference.tensor()
        #expect(tensor.shape == [2, 2])
        #expect(tensor.dtype == .float32)
        #expect(ReferenceTensor(tensor).values == reference.values.map { Double(Float($0)) })
    }

    @Test func widensABFloat16TensorExactly() {
        let tensor = Tensor(shape: [3], scalars: [1, -2.5, 0.125], dtype: .bfloat16)
        #expect(ReferenceTensor(tensor).values == [1, -2.5, 0.125])
    }

    @Test func seededConstructionIsDeterministic() {
        #expect(ReferenceTensor.random(shape: [3, 4], seed: 1) == ReferenceTensor.random(shape: [3, 4], seed: 1))
        #expect(ReferenceTensor.random(shape: [3, 4], seed: 1) != ReferenceTensor.random(shape: [3, 4], seed: 2))
        #expect(ReferenceTensor.normal(shape: [5], seed: 4) == ReferenceTensor.normal(shape: [5], seed: 4))
        #expect(ReferenceTensor.random(shape: [100], seed: 3, range: 2...5).values.allSatisfy { $0 >= 2 && $0 <= 5 })
    }
}
