import CDNNL
import CNarrowConvolution
import TensorCore

/// Hone's direct 3×3 convolutions for inputs of one to four channels (a grey or RGB stem): forward and backward-weights.
///
/// Shapes: input [N, C, H, W] plain, weight [K, C, 3, 3], output [N, K, H, W] in nChw8c;
/// stride 1, padding 1, no dilation or groups, C ≤ 4, K a multiple of 8. Why: oneDNN 2.6's
/// AVX2 kernels ran the Fashion model's 1-channel stem (128 images of 28×28, 16 filters) at
/// ~8 GFLOP/s, 3.9 ms forward and 3.6 ms backward-weights; these take 0.42 and 0.39 ms on
/// the same 2-core EPYC (the forward writes its 6.4 MB output at ~15 GB/s). A stem's input needs no gradient, so
/// there is no backward-data here (oneDNN's serves any caller that asks).
/// The backend uses them under `ConvolutionAlgorithm.automatic` on the CPUs where it uses
/// its Winograd kernels (AVX2 without AVX-512: oneDNN's activations in blocks of eight).
extension CPUBackend {
    /// Whether the kernels can compute this convolution (the shape and type rules above).
    static func narrowConvolutionApplies(inputShape: Shape, weightShape: Shape, geometry: ConvolutionGeometry,
                                         dtype: DType) -> Bool {
        dtype == .float32 && inputShape.rank == 4 && weightShape[2] == 3 && weightShape[3] == 3
            && geometry.stride == (1, 1) && geometry.padding == (1, 1) && geometry.dilation == (1, 1)
            && geometry.groups == 1 && weightShape[1] <= 4 && weightShape[0] % 8 == 0
    }

    /// Whether this backend sends the convolution to the narrow-input kernels.
    func usesNarrowConvolution(inputShape: Shape, weightShape: Shape, geometry: ConvolutionGeometry,
                               dtype: DType) -> Bool {
        convolutionAlgorithm == .automatic && Self.usesHoneNarrowKernels
            && Self.narrowConvolutionApplies(inputShape: inputShape, weightShape: weightShape, geometry: geometry,
                                             dtype: dtype)
    }

    static let usesHoneNarrowKernels = InstructionSet.effective.usesHoneWinograd
        && hone_narrow_convolution_is_supported() != 0

    /// conv(input, weight) + bias, then ReLU when `relu`.
    func narrowConvolutionForward(input: Tensor, weight: Tensor, bias: Tensor? = nil, relu: Bool = false) -> Tensor {
        let (batch, channels, height, width) = (input.shape[0], input.shape[1], input.shape[2], input.shape[3])
        let filters = weight.shape[0]
        let source = dnnl.storage(of: input, as: MemoryDescriptor(plain: input.shape.dimensions, dtype: .float32))
        let weights = dnnl.storage(of: weight, as: MemoryDescriptor(plain: weight.shape.dimensions, dtype: .float32))
        let biasStorage = bias.map { dnnl.storage(of: $0, as: MemoryDescriptor(plain: [filters], dtype: .float32)) }
        let outputShape = Shape([batch, filters, height, width])
        let result = dnnl.allocate(shape: outputShape, descriptor: eightChannelBlocks(outputShape))
        dnnl.runExclusively(named: "narrow convolution forward") {
            hone_narrow_convolution_forward(source.floats, weights.floats, biasStorage.map { UnsafePointer($0.floats) },
                                            relu ? 1 : 0, result.storage.floats, Int32(batch), Int32(channels),
                                            Int32(height), Int32(width), Int32(filters))
        }
        withExtendedLifetime(biasStorage) {}
        return result
    }

    func narrowConvolutionBackwardWeights(input: Tensor, gradientOfOutput: Tensor, weightShape: Shape) -> Tensor {
        let (batch, channels, height, width) = (input.shape[0], input.shape[1], input.shape[2], input.shape[3])
        let source = dnnl.storage(of: input, as: MemoryDescriptor(plain: input.shape.dimensions, dtype: .float32))
        let gradient = dnnl.storage(of: gradientOfOutput, as: eightChannelBlocks(gradientOfOutput.shape))
        let result = dnnl.allocate(shape: weightShape, descriptor: MemoryDescriptor(plain: weightShape.dimensions,
                                                                                    dtype: .float32))
        dnnl.runExclusively(named: "narrow convolution backward-weights") {
            hone_narrow_convolution_weight_gradient(source.floats, gradient.floats, result.storage.floats,
                                                    Int32(batch), Int32(channels), Int32(height), Int32(width),
                                                    Int32(weightShape[0]))
        }
        return result
    }
}
