import CDNNL
import CWinograd
import TensorCore

/// Hone's Winograd F(2×2, 3×3) and F(4×4, 3×3) convolutions: forward, backward-data and backward-weights on nChw8c f32 tensors.
///
/// Shapes: input [N, C, H, W], weight [K, C, 3, 3], output [N, K, H, W]; stride 1,
/// padding 1, no dilation or groups, C and K multiples of 16. Why: on AVX2 oneDNN 2.6
/// has only direct convolutions; F(2,3) does 2.25x fewer multiplications, F(4,3) 4x.
/// Alone, the kernels ran ResNet-50's 3x3 stride-1 layers at 230–330 direct-equivalent
/// GFLOP/s against oneDNN direct's 130–200 (forward, backward-data) and 67–143
/// (backward-weights) on a 2-core AVX2 EPYC (BENCHMARKS.md).
/// Rounding: F(2,3)'s coefficients are 0, ±1 and ±½, so its error stays at direct
/// convolution's level; F(4,3)'s reach 8, and its error grows to ~5e-6 of the largest
/// output of a tile (`WinogradConvolutionTests`).
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

    /// The output tile: F(4×4, 3×3) (36 products per 16 outputs) or F(2×2, 3×3) (16 per 4).
    ///
    /// Measured on a 2-core AVX2 EPYC (kernels alone, forward, median of 15, F(4,3) vs F(2,3)):
    /// F(4,3) wins up to 128 channels (16 at 28 px, batch 128: 2.28 vs 2.52 ms; 64 at 7 px:
    /// 1.21 vs 1.84; 128 at 4 px: 1.20 vs 1.74; 128 at 28 px, batch 32: 14.6 vs 22.9), ties at
    /// 256 channels on 14 px (19.4 vs 19.9 ms, but its weight gradient loses, 35.7 vs 29.6) and
    /// loses at 512 on 7 px (34.5 vs 32.2): its transformed weights are 2.25x larger, and wide
    /// layers stream them from cache once per block of tiles. On maps under 3x3 most of a 4×4
    /// tile is padding, so F(2,3) does fewer products there.
    static func winogradTile(channels: Int, filters: Int, height: Int, width: Int) -> Int32 {
        max(channels, filters) <= 128 && min(height, width) >= 3 ? 4 : 2
    }

    /// Whether the weight gradient goes to the kernels too: not above 256 channels.
    ///
    /// Each thread adds every block of tiles into its own n² x C x K sums, which for 512
    /// channels are 16 MiB (F(2,3)) and leave the caches: ResNet's 512-channel 7x7 layer
    /// (batch 32) took 74.7 ms there against oneDNN direct's ~54 ms (99 vs 139 GFLOP/s),
    /// while at 256 channels on 14x14 Winograd still wins (250 vs 142 GFLOP/s), 2-core AVX2 EPYC.
    static func winogradComputesWeightGradient(channels: Int, filters: Int) -> Bool {
        max(channels, filters) <= 256
    }

    static let usesHoneWinogradKernels = InstructionSet.effective.usesHoneWinograd

    /// The nChw8c layout of a 4-D f32 tensor, which the kernels read and write.
    func eightChannelBlocks(_ shape: Shape) -> MemoryDescriptor {
        MemoryDescriptor(dimensions: shape.dimensions, dtype: .float32, formatTag: dnnl_aBcd8b)
    }

    /// conv(input, weight) + bias, then the epilogue's residual add and ReLU, all in the output transform.
    func winogradForward(input: Tensor, weight: Tensor, bias: Tensor? = nil, epilogue: ConvolutionEpilogue = .none,
                         tile: Int32? = nil) -> Tensor {
        let tile = tile ?? Self.winogradTile(channels: input.shape[1], filters: weight.shape[0],
                                             height: input.shape[2], width: input.shape[3])
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
        let transformed = TensorStorage(byteCount: hone_winograd_weight_count(tile, Int32(channels), Int32(filters)) * 4,
                                        zeroed: false)
        dnnl.runExclusively(named: "winograd forward") {
            hone_winograd_transform_weights(tile, weights.floats, Int32(filters), Int32(channels), 0, transformed.floats)
            hone_winograd_forward(tile, source.floats, transformed.floats, result.storage.floats, Int32(batch),
                                  Int32(channels), Int32(height), Int32(width), Int32(filters), &fused)
        }
        withExtendedLifetime((biasStorage, residualStorage)) {}
        return result
    }

    func winogradBackwardData(gradientOfOutput: Tensor, weight: Tensor, inputShape: Shape,
                              tile: Int32? = nil) -> Tensor {
        let tile = tile ?? Self.winogradTile(channels: weight.shape[0], filters: inputShape[1],
                                             height: inputShape[2], width: inputShape[3])
        let (batch, channels, height, width) = (inputShape[0], inputShape[1], inputShape[2], inputShape[3])
        let filters = weight.shape[0]
        let gradient = dnnl.storage(of: gradientOfOutput, as: eightChannelBlocks(gradientOfOutput.shape))
        let weights = plainWeights(weight)
        let result = dnnl.allocate(shape: inputShape, descriptor: eightChannelBlocks(inputShape))
        let transformed = TensorStorage(byteCount: hone_winograd_weight_count(tile, Int32(channels), Int32(filters)) * 4,
                                        zeroed: false)
        dnnl.runExclusively(named: "winograd backward-data") {
            hone_winograd_transform_weights(tile, weights.floats, Int32(filters), Int32(channels), 1, transformed.floats)
            hone_winograd_forward(tile, gradient.floats, transformed.floats, result.storage.floats, Int32(batch),
                                  Int32(filters), Int32(height), Int32(width), Int32(channels), nil)
        }
        return result
    }

    func winogradBackwardWeights(input: Tensor, gradientOfOutput: Tensor, weightShape: Shape,
                                 tile: Int32? = nil) -> Tensor {
        let tile = tile ?? Self.winogradTile(channels: weightShape[1], filters: weightShape[0],
                                             height: input.shape[2], width: input.shape[3])
        let (batch, channels, height, width) = (input.shape[0], input.shape[1], input.shape[2], input.shape[3])
        let source = dnnl.storage(of: input, as: eightChannelBlocks(input.shape))
        let gradient = dnnl.storage(of: gradientOfOutput, as: eightChannelBlocks(gradientOfOutput.shape))
        let result = dnnl.allocate(shape: weightShape, descriptor: MemoryDescriptor(plain: weightShape.dimensions,
                                                                                    dtype: .float32))
        dnnl.runExclusively(named: "winograd backward-weights") {
            hone_winograd_weight_gradient(tile, source.floats, gradient.floats, result.storage.floats, Int32(batch),
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
