import Testing
import TestSupport

/// The small ops: linear against PyTorch; relu, add, per-sample scaling, dropout, flatten and reductions by hand.
struct ElementwiseReferenceTests {
    @Test func linearMatchesPyTorch() throws {
        let recorded = try ReferenceFixture.named("linear")
        let output = Reference.linear(input: try recorded.tensor("input"), weight: try recorded.tensor("weight"),
                                      bias: try recorded.tensor("bias"))
        expectClose(output, try recorded.tensor("output"), tolerance: .float64)
    }

    @Test func reluZeroesNegativesAndKeepsNaN() {
        let output = Reference.relu(ReferenceTensor(shape: [4], values: [-2, 0, 3, .nan]))
        #expect(Array(output.values.prefix(3)) == [0, 0, 3])
        #expect(output.values[3].isNaN)
    }

    @Test func addSumsElementwise() {
        let sum = Reference.add(ReferenceTensor(shape: [2], values: [1, 2]), ReferenceTensor(shape: [2], values: [10, 20]))
        #expect(sum.values == [11, 22])
    }

    @Test func multiplyPerSampleScalesWholeSamples() {
        let input = ReferenceTensor(shape: [2, 1, 1, 2], values: [1, 2, 3, 4])
        let output = Reference.multiplyPerSample(input, scale: ReferenceTensor(shape: [2], values: [0, 2]))
        #expect(output.values == [0, 0, 6, 8])
    }

    @Test func dropoutScalesKeptElementsByTheKeepProbability() {
        let input = ReferenceTensor(shape: [4], values: [1, 2, 3, 4])
        let output = Reference.dropout(input, mask: ReferenceTensor(shape: [4], values: [1, 0, 1, 0]), probability: 0.75)
        #expect(output.values == [4, 0, 12, 0])
    }

    @Test func flattenKeepsTheBatchAxis() {
        let input = ReferenceTensor.random(shape: [2, 3, 2, 2], seed: 1)
        let output = Reference.flatten(input)
        #expect(output.shape == [2, 12])
        #expect(output.values == input.values)
    }

    @Test func sumMeanAndDotReduceEveryElement() {
        let tensor = ReferenceTensor(shape: [2, 2], values: [1, 2, 3, 6])
        #expect(Reference.sum(tensor) == 12)
        #expect(Reference.mean(tensor) == 3)
        #expect(Reference.dot(tensor, tensor) == 50)
    }
}
