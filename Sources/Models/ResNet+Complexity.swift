import Layers
import TensorCore

extension ResNet {
    /// Multiply-accumulates of one forward pass of one square `imageSize` image: every convolution and the classifier.
    ///
    /// Norms, activations, pools and the residual additions are left out, as
    /// torchvision's and fvcore's GMAC figures do (ResNet-50 at 224: 4.09 G).
    public func multiplyAccumulates(imageSize: Int) -> Int {
        var shape: Shape = [1, configuration.inputChannels, imageSize, imageSize]
        var total = 0
        for convolution in stem.convolutions { total += Self.count(convolution, input: &shape) }
        if stem.hasMaxPool {
            shape = PoolingGeometry(kind: .max, kernel: 3, stride: 2, padding: 1).outputShape(input: shape)
        }
        for block in blocks {
            var branch = shape
            for convolution in block.branchConvolutions { total += Self.count(convolution, input: &branch) }
            if let downsample = block.downsample {
                var projected = shape
                if downsample.kind == .averagePool && downsample.stride > 1 {
                    projected = PoolingGeometry(kind: .average(countIncludePadding: false), kernel: 2,
                                                stride: downsample.stride, ceilMode: true).outputShape(input: projected)
                }
                total += Self.count(downsample.convolution, input: &projected)
            }
            shape = branch
        }
        return total + fc.weight.shape.elementCount
    }

    /// The convolution's multiply-accumulates on `input`, which becomes its output shape.
    private static func count(_ convolution: Conv2D, input: inout Shape) -> Int {
        let weight = convolution.weight.shape
        let result = convolution.geometry.multiplyAccumulates(input: input, weight: weight)
        input = convolution.geometry.outputShape(input: input, weight: weight)
        return result
    }
}
