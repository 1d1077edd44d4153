import TensorCore

/// The distinct convolution layers of torchvision's ResNet-50 at a given size, with how often each occurs.
///
/// Bottleneck blocks (1x1, 3x3 with the stride, 1x1 ×4) in stages of 3, 4, 6, 3
/// blocks at widths 64-512, the first block of each stage with a strided 1x1
/// shortcut; the 7x7 stride-2 stem; a stride-2 max pool after it.
struct ResNet50Convolutions {
    struct Layer {
        let inputShape: Shape
        let weightShape: Shape
        let geometry: ConvolutionGeometry
        var count: Int

        /// The label the PyTorch peer prints: "<in>-><out> k<R>x<S> s<stride> p<pad> <H>x<W>".
        var label: String {
            "\(weightShape[1])->\(weightShape[0]) k\(weightShape[2])x\(weightShape[3]) s\(geometry.stride.height) "
                + "p\(geometry.padding.height) \(inputShape[2])x\(inputShape[3])"
        }

        /// The first convolution, whose input is the image.
        var isStem: Bool { weightShape[1] == 3 }

        var multiplyAccumulates: Int { geometry.multiplyAccumulates(input: inputShape, weight: weightShape) }
    }

    static func layers(batch: Int, size: Int) -> [Layer] {
        var layers: [Layer] = []
        func add(_ input: Int, _ output: Int, kernel: Int, stride: Int, height: Int) {
            let inputShape: Shape = [batch, input, height, height]
            let weightShape: Shape = [output, input, kernel, kernel]
            let geometry = ConvolutionGeometry(stride: stride, padding: kernel / 2)
            if let index = layers.firstIndex(where: {
                $0.inputShape == inputShape && $0.weightShape == weightShape && $0.geometry == geometry
            }) {
                layers[index].count += 1
            } else {
                layers.append(Layer(inputShape: inputShape, weightShape: weightShape, geometry: geometry, count: 1))
            }
        }
        add(3, 64, kernel: 7, stride: 2, height: size)
        var height = (size + 1) / 2
        height = (height + 2 - 3) / 2 + 1
        var channels = 64
        for (stage, (width, blocks)) in [(64, 3), (128, 4), (256, 6), (512, 3)].enumerated() {
            for block in 0..<blocks {
                let stride = stage > 0 && block == 0 ? 2 : 1
                add(channels, width, kernel: 1, stride: 1, height: height)
                add(width, width, kernel: 3, stride: stride, height: height)
                let outputHeight = (height - 1) / stride + 1
                add(width, width * 4, kernel: 1, stride: 1, height: outputHeight)
                if block == 0 { add(channels, width * 4, kernel: 1, stride: stride, height: height) }
                channels = width * 4
                height = outputHeight
            }
        }
        return layers
    }
}
