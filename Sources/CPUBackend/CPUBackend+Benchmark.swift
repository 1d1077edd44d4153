import CDNNL
import Foundation
import TensorCore

/// Kernel-level timing of convolutions and the SGEMM ceiling, for `hone bench`.
///
/// Every memory is prepared in the layout the primitive prefers before timing, so
/// the figures are the kernels' own, without the reorders at a network's edges.
/// Convolutions the backend sends to its Winograd kernels are timed there.
extension CPUBackend {
    /// Which pass of a convolution to time.
    public enum ConvolutionPass: String, CaseIterable, Sendable {
        case forward
        case backwardData = "backward-data"
        case backwardWeights = "backward-weights"
    }

    /// Seconds of each timed run of one convolution pass (after one untimed warm-up run).
    public func timeConvolution(pass: ConvolutionPass, inputShape: Shape, weightShape: Shape,
                                geometry: ConvolutionGeometry, dtype: DType, repeats: Int) -> [Double] {
        if usesWinograd(inputShape: inputShape, weightShape: weightShape, geometry: geometry, dtype: dtype)
            && (pass != .backwardWeights
                || Self.winogradComputesWeightGradient(channels: weightShape[1], filters: weightShape[0])) {
            return timeWinograd(pass: pass, inputShape: inputShape, weightShape: weightShape, repeats: repeats)
        }
        let forward = convolutionForwardPrimitive(inputShape: inputShape, weightShape: weightShape, hasBias: false,
                                                  geometry: geometry, dtype: dtype)
        let primitive: Primitive
        switch pass {
        case .forward:
            primitive = forward
        case .backwardData:
            let gradient = Tensor(zeros: geometry.outputShape(input: inputShape, weight: weightShape), dtype: dtype)
            _ = convolutionBackwardData(gradientOfOutput: gradient, weight: Tensor(zeros: weightShape, dtype: dtype),
                                        inputShape: inputShape, geometry: geometry)
            primitive = dnnl.primitive(for: PrimitiveKey(kind: .convolutionBackwardData,
                                                         dimensions: [inputShape.dimensions, weightShape.dimensions],
                                                         settings: geometry.cacheSettings + [dtype.cacheCode])) {
                preconditionFailure("backward-data primitive was just created")
            }
        case .backwardWeights:
            let gradient = Tensor(zeros: geometry.outputShape(input: inputShape, weight: weightShape), dtype: dtype)
            _ = convolutionBackwardWeights(input: Tensor(zeros: inputShape, dtype: dtype), gradientOfOutput: gradient,
                                           weightShape: weightShape, geometry: geometry, includeBias: false,
                                           gradientType: .float32)
            primitive = dnnl.primitive(for: PrimitiveKey(kind: .convolutionBackwardWeights,
                                                         dimensions: [inputShape.dimensions, weightShape.dimensions],
                                                         settings: geometry.cacheSettings
                                                             + [dtype.cacheCode, DType.float32.cacheCode, 0])) {
                preconditionFailure("backward-weights primitive was just created")
            }
        }
        let queries: [(Int32, dnnl_query_t)] = switch pass {
        case .forward: [(DNNL_ARG_SRC, dnnl_query_src_md), (DNNL_ARG_WEIGHTS, dnnl_query_weights_md),
                        (DNNL_ARG_DST, dnnl_query_dst_md)]
        case .backwardData: [(DNNL_ARG_DIFF_DST, dnnl_query_diff_dst_md), (DNNL_ARG_WEIGHTS, dnnl_query_weights_md),
                             (DNNL_ARG_DIFF_SRC, dnnl_query_diff_src_md)]
        case .backwardWeights: [(DNNL_ARG_SRC, dnnl_query_src_md), (DNNL_ARG_DIFF_DST, dnnl_query_diff_dst_md),
                                (DNNL_ARG_DIFF_WEIGHTS, dnnl_query_diff_weights_md)]
        }
        let arguments = queries.map { argument, query in
            let layout = primitive.memory(query)
            let storage = TensorStorage(byteCount: layout.byteCount)
            fillWithSmallValues(storage, dtype: layout.dtype, count: layout.byteCount / layout.dtype.byteCount)
            return (argument, layout, storage)
        }
        dnnl.execute(primitive, arguments)
        return (0..<repeats).map { _ in
            let start = DispatchTime.now().uptimeNanoseconds
            dnnl.execute(primitive, arguments)
            return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        }
    }

    /// Seconds of each timed run of a Winograd pass, inputs already in nChw8c (weight transforms included).
    private func timeWinograd(pass: ConvolutionPass, inputShape: Shape, weightShape: Shape, repeats: Int) -> [Double] {
        let outputShape = Shape([inputShape[0], weightShape[0], inputShape[2], inputShape[3]])
        func filled(_ shape: Shape, _ layout: MemoryDescriptor) -> Tensor {
            let tensor = dnnl.allocate(shape: shape, descriptor: layout)
            fillWithSmallValues(tensor.storage, dtype: .float32, count: layout.byteCount / 4)
            return tensor
        }
        let input = filled(inputShape, eightChannelBlocks(inputShape))
        let gradient = filled(outputShape, eightChannelBlocks(outputShape))
        let weight = filled(weightShape, MemoryDescriptor(plain: weightShape.dimensions, dtype: .float32))
        let run: () -> Void = switch pass {
        case .forward: { _ = self.winogradForward(input: input, weight: weight) }
        case .backwardData: { _ = self.winogradBackwardData(gradientOfOutput: gradient, weight: weight,
                                                             inputShape: inputShape) }
        case .backwardWeights: { _ = self.winogradBackwardWeights(input: input, gradientOfOutput: gradient,
                                                                   weightShape: weightShape) }
        }
        run()
        return (0..<repeats).map { _ in
            let start = DispatchTime.now().uptimeNanoseconds
            run()
            return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        }
    }

    /// The GFLOP/s of oneDNN's SGEMM on size×size×size matrices, best of `repeats` runs: the machine's f32 ceiling.
    ///
    /// The best run, not the median: a ceiling is what the cores reach when nothing
    /// else interferes, so comparing medians of convolutions against it is conservative.
    public func measureSGEMM(size: Int = 3072, repeats: Int = 5) -> Double {
        let count = size * size
        var a = (0..<count).map { Float($0 % 7) * 0.01 }
        var b = (0..<count).map { Float($0 % 5) * 0.01 }
        var c = [Float](repeating: 0, count: count)
        let dimension = Int64(size)
        func multiply() {
            check(dnnl_sgemm(CChar(UInt8(ascii: "N")), CChar(UInt8(ascii: "N")), dimension, dimension, dimension, 1,
                             &a, dimension, &b, dimension, 0, &c, dimension), "sgemm")
        }
        multiply()
        let seconds = (0..<repeats).map { _ in
            let start = DispatchTime.now().uptimeNanoseconds
            multiply()
            return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        }.min()!
        return 2 * Double(count) * Double(size) / seconds / 1e9
    }

    private func fillWithSmallValues(_ storage: TensorStorage, dtype: DType, count: Int) {
        switch dtype {
        case .float32:
            let values = storage.buffer(as: Float.self, count: count)
            for index in 0..<count { values[index] = Float(index % 13) * 0.01 - 0.06 }
        case .bfloat16:
            let values = storage.buffer(as: UInt16.self, count: count)
            for index in 0..<count { values[index] = BFloat16.bits(from: Float(index % 13) * 0.01 - 0.06) }
        }
    }
}
