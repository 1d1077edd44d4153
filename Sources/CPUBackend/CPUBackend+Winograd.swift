import CDNNL
import CWinograd
import TensorCore

/// Hone's Winograd F(2×2, 3×3) convolutions: forward, backward-data and backward-weights on nChw8c f32 tensors.
///
/// Shapes: input [N, C, H, W], weight [K, C, 3, 3], output [N, K, H, W]; stride 1,
/// padding 1, no dilation or groups, C and K multiples of 16. Why: on AVX2 oneDNN 2.6
/// has only direct convolutions, and F(2,3) does 2.25x fewer multiplications; the
/// kernels (`CWinograd`) run 1.5-2.5x oneDNN's speed on ResNet shapes (BENCHMARKS.md).
/// Rounding: each output sums the same products as a direct convolution, regrouped
/// by the transforms, whose coefficients are 0, ±1 and ±½ (error stays at f32's level).
/// The backend uses them under `ConvolutionAlgorithm.automatic` where
/// `InstructionSet.usesHoneWinograd`; tests call them directly on any AVX2 CPU.
extension CPUBackend {
    /// Whether the kernels can compute this convolution (the shape and type rules above).
    static func winogradApplies(inputShape: Shape, weightShape: Shape, geometry: ConvolutionGeometry,
                                dtype: DType) -> Bool {
        dtype == .float32 && inputShape.rank == 4 && weightShape[2] == 3 && weightShape[3] == 3
            && geometry.stride == (1, 1) && geometry.padding == (1, 1) && geometry.dilation == (1, 1)
            && geometry.groups == 1 && weightShape[0] % 16 == 0 && weightShape[1] % 16 == 0
    }

    /// Whether this backend sends the convolution to the Winograd kernels.
    func usesWinograd(inputShape: Shape, weightShape: Shape, geometry: ConvolutionGeometry, dtype: DType) -> Bool {
        convolutionAlgorithm == .automatic && Self.usesHoneWinogradKernels
            && Self.winogradApplies(inputShape: inputShape, weightShape: weightShape, geometry: geometry, dtype: dtype)
    }

    static let usesHoneWinogradKernels = InstructionSet.effective.usesHoneWinograd

    /// The nChw8c layout of a 4-D f32 tensor, which the kernels read and write.
    func eightChannelBlocks(_ shape: Shape) -> MemoryDescriptor {
        MemoryDescriptor(dimensions: shape.dimensions, dtype: .float32, formatTag: dnnl_aBcd8b)
    }

    /// conv(input, weight) + bias, then the epilogue's residual add and ReLU, all in the output transform.
    func winogradForward(input: Tensor, weight: Tensor, bias: Tensor? = nil,
                         epilogue: ConvolutionEpilogue = .none) -> Tensor {
        let (batch, channels, height, width) = (input.shape[0], input.shape[1], input.shape[2], input.shape[3])
        let filters = weight.shape[0]
        let source = dnnl.storage(of: input, as: eightChannelBlocks(input.shape))
        let weights = plainWeights(weight)
        let outputShape = Shape([batch, filters, height, width])
        let outputLayout = eightChannelBlocks(outputShape)
        var output: Tensor?
        var residualStorage: TensorStorage?
        if let residual = epilogue.residual {
            precondition(residual.shape == outputShape && residual.dtype == .float32,
                         "residual \(residual.shape) \(residual.dtype) for an output \(outputShape) float32")
            let storage = dnnl.storage(of: residual, as: outputLayout)
            if epilogue.overwritesResidual && storage === residual.storage { output = residual }
            residualStorage = storage
        }
        let result = output ?? dnnl.allocate(shape: outputShape, descriptor: outputLayout)
        let biasStorage = bias.map { dnnl.storage(of: $0, as: MemoryDescriptor(plain: [filters], dtype: .float32)) }
        var fused = hone_winograd_epilogue(bias: biasStorage.map { UnsafePointer($0.floats) },
                                           residual: residualStorage.map { UnsafePointer($0.floats) },
                                           relu: epilogue.appliesReLU ? 1 : 0)
        let transformed = TensorStorage(byteCount: hone_winograd_weight_count(Int32(channels), Int32(filters)) * 4,
                                        zeroed: false)
        dnnl.runExclusively(named: "winograd forward") {
            hone_winograd_transform_weights(weights.floats, Int32(filters), Int32(channels), 0, transformed.floats)
            hone_winograd_forward(source.floats, transformed.floats, result.storage.floats, Int32(batch),
                                  Int32(channels), Int32(height), Int32(width), Int32(filters), &fused)
        }
        withExtendedLifetime((biasStorage, residualStorage)) {}
        return result
    }

    func winogradBackwardData(gradientOfOutput: Tensor, weight: Tensor, inputShape: Shape) -> Tensor {
        let (batch, channels, height, width) = (inputShape[0], inputShape[1], inputShape[2], inputShape[3])
        let filters = weight.shape[0]
        let gradient = dnnl.storage(of: gradientOfOutput, as: eightChannelBlocks(gradientOfOutput.shape))
        let weights = plainWeights(weight)
        let result = dnnl.allocate(shape: inputShape, descriptor: eightChannelBlocks(inputShape))
        let transformed = TensorStorage(byteCount: hone_winograd_weight_count(Int32(channels), Int32(filters)) * 4,
                                        zeroed: false)
        dnnl.runExclusively(named: "winograd backward-data") {
            hone_winograd_transform_weights(weights.floats, Int32(filters), Int32(channels), 1, transformed.floats)
            hone_winograd_forward(gradient.floats, transformed.floats, result.storage.floats, Int32(batch),
                                  Int32(filters), Int32(height), Int32(width), Int32(channels), nil)
        }
        return result
    }

    func winogradBackwardWeights(input: Tensor, gradientOfOutput: Tensor, weightShape: Shape) -> Tensor {
        let (batch, channels, height, width) = (input.shape[0], input.shape[1], input.shape[2], input.shape[3])
        let source = dnnl.storage(of: input, as: eightChannelBlocks(input.shape))
        let gradient = dnnl.storage(of: gradientOfOutput, as: eightChannelBlocks(gradientOfOutput.shape))
        let result = dnnl.allocate(shape: weightShape, descriptor: MemoryDescriptor(plain: weightShape.dimensions,
                                                                                    dtype: .float32))
        dnnl.runExclusively(named: "winograd backward-weights") {
            hone_winograd_weight_gradient(source.floats, gradient.floats, result.storage.floats, Int32(batch),
                                          Int32(channels), Int32(height), Int32(width), Int32(weightShape[0]))
        }
        return result
    }

    /// OIHW f32 weights, reordered from a blocked layout if they are in one.
    private func plainWeights(_ weight: Tensor) -> TensorStorage {
        dnnl.storage(of: weight, as: MemoryDescriptor(plain: weight.shape.dimensions, dtype: .float32))
    }
}

extension TensorStorage {
    /// The storage as f32 elements.
    var floats: UnsafeMutablePointer<Float> { pointer.assumingMemoryBound(to: Float.self) }
}
