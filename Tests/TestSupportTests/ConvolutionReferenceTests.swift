import TensorCore
import Testing
import TestSupport

/// `Reference.conv2d` against PyTorch's `F.conv2d`, and against a hand-worked case.
struct ConvolutionReferenceTests {
    @Test(arguments: ["convolution_strided_dilated_grouped", "convolution_anisotropic"])
    func convolutionMatchesPyTorch(caseName: String) throws {
        let recorded = try ReferenceFixture.named(caseName)
        let geometry = ConvolutionGeometry(stride: try recorded.pair("stride"), padding: try recorded.pair("padding"),
                                           dilation: try recorded.pair("dilation"),
                                           groups: try recorded.integers("groups")[0])
        let bias = recorded.tensors["bias"] == nil ? nil : try recorded.tensor("bias")
        let output = Reference.conv2d(input: try recorded.tensor("input"), weight: try recorded.tensor("weight"),
                                      bias: bias, geometry: geometry)
        expectClose(output, try recorded.tensor("output"), tolerance: .float64)
    }

    @Test func convolutionOfOnesCountsTheTapsInsideTheInput() {
        let input = ReferenceTensor(repeating: 1, shape: [1, 1, 3, 3])
        let weight = ReferenceTensor(repeating: 1, shape: [1, 1, 3, 3])
        let output = Reference.conv2d(input: input, weight: weight, bias: ReferenceTensor(repeating: 0.5, shape: [1]),
                                      geometry: ConvolutionGeometry(padding: 1))
        #expect(output.shape == [1, 1, 3, 3])
        #expect(output.values == [4, 6, 4, 6, 9, 6, 4, 6, 4].map { $0 + 0.5 })
    }

    @Test func groupedConvolutionKeepsGroupsApart() {
        let input = ReferenceTensor(shape: [1, 2, 1, 1], values: [3, 5])
        let weight = ReferenceTensor(shape: [2, 1, 1, 1], values: [2, 7])
        let output = Reference.conv2d(input: input, weight: weight, geometry: ConvolutionGeometry(groups: 2))
        #expect(output.values == [6, 35])
    }
}
