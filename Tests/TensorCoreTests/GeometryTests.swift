import TensorCore
import Testing

/// Output sizes of convolutions and pooling, with PyTorch's rules.
@Suite struct GeometryTests {
    @Test func convolutionOutputFollowsPyTorch() {
        let geometry = ConvolutionGeometry(stride: 2, padding: 3)
        #expect(geometry.outputShape(input: [1, 3, 224, 224], weight: [64, 3, 7, 7]) == [1, 64, 112, 112])
        let dilated = ConvolutionGeometry(stride: (1, 2), padding: (2, 1), dilation: (2, 1), groups: 2)
        #expect(dilated.outputShape(input: [2, 4, 9, 7], weight: [6, 2, 3, 3]) == [2, 6, 9, 4])
        #expect(geometry.multiplyAccumulates(input: [1, 3, 224, 224], weight: [64, 3, 7, 7]) == 112 * 112 * 64 * 147)
    }

    @Test func ceilModeDropsAWindowThatStartsInThePadding() {
        #expect(PoolingGeometry.outputLength(input: 7, kernel: 2, stride: 2, padding: 0, ceilMode: true) == 4)
        #expect(PoolingGeometry.outputLength(input: 7, kernel: 2, stride: 2, padding: 0, ceilMode: false) == 3)
        #expect(PoolingGeometry.outputLength(input: 5, kernel: 2, stride: 2, padding: 1, ceilMode: true) == 3)
        #expect(PoolingGeometry.outputLength(input: 1, kernel: 2, stride: 2, padding: 0, ceilMode: true) == 1)
        #expect(PoolingGeometry.outputLength(input: 112, kernel: 3, stride: 2, padding: 1, ceilMode: false) == 56)
    }

    @Test func shapesCountTheirElements() {
        let shape: Shape = [2, 3, 4]
        #expect(shape.elementCount == 24)
        #expect(shape.contiguousStrides == [12, 4, 1])
        #expect(Shape([]).elementCount == 1)
    }
}
