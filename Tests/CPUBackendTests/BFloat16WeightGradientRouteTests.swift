import TensorCore
import Testing
@testable import CPUBackend

/// Which bf16 weight gradients go through f32: exactly the tiny-map shapes where oneDNN 2.6's bf16 kernel stalls.
@Suite struct BFloat16WeightGradientRouteTests {
    func isRouted(output: Int, kernel: Int, stride: Int) -> Bool {
        CPUBackend.bfloat16WeightGradientIsSlow(
            output: [64, 64, output, output], weight: [64, 64, kernel, kernel],
            geometry: ConvolutionGeometry(stride: stride, padding: kernel / 2))
    }

    @Test func tinyMapsWithSpatialKernelsUseFloat32() {
        #expect(isRouted(output: 2, kernel: 3, stride: 1))
        #expect(isRouted(output: 1, kernel: 3, stride: 1))
        #expect(isRouted(output: 4, kernel: 3, stride: 2))
        #expect(isRouted(output: 1, kernel: 3, stride: 2))
    }

    @Test func everyOtherShapeStaysInBFloat16() {
        #expect(!isRouted(output: 4, kernel: 3, stride: 1))
        #expect(!isRouted(output: 7, kernel: 3, stride: 2))
        #expect(!isRouted(output: 56, kernel: 3, stride: 1))
        #expect(!isRouted(output: 2, kernel: 1, stride: 1))
        #expect(!isRouted(output: 1, kernel: 1, stride: 2))
    }
}
