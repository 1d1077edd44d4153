import CDNNL
import TensorCore

/// Convolution forward, backward-data and backward-weights with the backend's `convolutionAlgorithm`.
///
/// Under `automatic` on AVX2, f32 3×3 stride-1 convolutions go to Hone's own
/// Winograd kernels (`CPUBackend+Winograd`), or, with at most four input channels, to its
/// direct narrow-input kernels (`CPUBackend+NarrowConvolution`); everything else runs on oneDNN.
/// Weights are OIHW in Hone; with groups oneDNN wants goihw, which is the same
/// plain bytes viewed with one more axis, so grouped weights are described, not copied.
extension CPUBackend {
    public func convolutionForward(input: Tensor, weight: Tensor, bias: Tensor?,
                                   geometry: ConvolutionGeometry) -> Tensor {
        if bias == nil && usesWinograd(inputShape: input.shape, weightShape: weight.shape, geometry: geometry,
                                       dtype: input.dtype) {
            return winogradForward(input: input, weight: weight)
        }
        if usesNarrowConvolution(inputShape: input.shape, weightShape: weight.shape, geometry: geometry,
                                 dtype: input.dtype) {
            return narrowConvolutionForward(input: input, weight: weight, bias: bias)
        }
        let outputShape = geometry.outputShape(input: input.shape, weight: weight.shape)
        let forward = convolutionForwardPrimitive(inputShape: input.shape, weightShape: weight.shape,
                                                  hasBias: bias != nil, geometry: geometry, dtype: input.dtype)
        let output = dnnl.allocate(shape: outputShape, descriptor: forward.memory(dnnl_query_dst_md))
        runForward(forward, input: input, weight: weight, bias: bias, into: output, groups: geometry.groups)
        return output
    }

    /// Runs a forward (or inference) convolution primitive into `output`, reordering input, weight and bias to its layouts.
    func runForward(_ primitive: Primitive, input: Tensor, weight: Tensor, bias: Tensor?, into output: Tensor,
                    groups: Int) {
        let sourceLayout = primitive.memory(dnnl_query_src_md)
        let weightsLayout = primitive.memory(dnnl_query_weights_md)
        var arguments = [
            (DNNL_ARG_SRC, sourceLayout, dnnl.storage(of: input, as: sourceLayout)),
            (DNNL_ARG_WEIGHTS, weightsLayout,
             dnnl.storage(of: weight, as: weightsLayout, viewedAs: groupedView(of: weight, groups: groups))),
            (DNNL_ARG_DST, primitive.memory(dnnl_query_dst_md), output.storage),
        ]
        if let bias {
            let biasLayout = MemoryDescriptor(plain: [weight.shape[0]], dtype: .float32)
            arguments.append((DNNL_ARG_BIAS, biasLayout, dnnl.storage(of: bias, as: biasLayout)))
        }
        dnnl.execute(primitive, arguments)
    }

    public func convolutionBackwardData(gradientOfOutput: Tensor, weight: Tensor, inputShape: Shape,
                                        geometry: ConvolutionGeometry) -> Tensor {
        let dtype = gradientOfOutput.dtype
        if usesWinograd(inputShape: inputShape, weightShape: weight.shape, geometry: geometry, dtype: dtype) {
            return winogradBackwardData(gradientOfOutput: gradientOfOutput, weight: weight, inputShape: inputShape)
        }
        let forward = convolutionForwardPrimitive(inputShape: inputShape, weightShape: weight.shape,
                                                  hasBias: false, geometry: geometry, dtype: dtype)
        let outputShape = geometry.outputShape(input: inputShape, weight: weight.shape)
        let key = PrimitiveKey(kind: .convolutionBackwardData,
                               dimensions: [inputShape.dimensions, weight.shape.dimensions],
                               settings: geometry.cacheSettings + [dtype.cacheCode])
        let backward = dnnl.primitive(for: key) {
            var descriptor = dnnl_convolution_desc_t()
            var gradientOfInput = MemoryDescriptor(any: inputShape.dimensions, dtype: dtype).raw
            var weights = MemoryDescriptor(any: weightDimensions(weight.shape, groups: geometry.groups), dtype: dtype).raw
            var gradientOfOutput = MemoryDescriptor(any: outputShape.dimensions, dtype: dtype).raw
            let (strides, dilations, paddingLeft, paddingRight) = geometry.dnnlArrays
            check(dnnl_dilated_convolution_backward_data_desc_init(
                      &descriptor, convolutionAlgorithm.dnnlKind, &gradientOfInput, &weights, &gradientOfOutput,
                      strides, dilations, paddingLeft, paddingRight),
                  "convolution_backward_data_desc_init")
            return Primitive(operation: &descriptor, engine: dnnl.engine, hint: forward, what: "convolution backward-data")
        }
        let gradientOfInputLayout = backward.memory(dnnl_query_diff_src_md)
        let weightsLayout = backward.memory(dnnl_query_weights_md)
        let gradientOfOutputLayout = backward.memory(dnnl_query_diff_dst_md)
        let result = dnnl.allocate(shape: inputShape, descriptor: gradientOfInputLayout)
        dnnl.execute(backward, [
            (DNNL_ARG_DIFF_DST, gradientOfOutputLayout, dnnl.storage(of: gradientOfOutput, as: gradientOfOutputLayout)),
            (DNNL_ARG_WEIGHTS, weightsLayout,
             dnnl.storage(of: weight, as: weightsLayout, viewedAs: groupedView(of: weight, groups: geometry.groups))),
            (DNNL_ARG_DIFF_SRC, gradientOfInputLayout, result.storage),
        ])
        return result
    }

    public func convolutionBackwardWeights(input: Tensor, gradientOfOutput: Tensor, weightShape: Shape,
                                           geometry: ConvolutionGeometry, includeBias: Bool,
                                           gradientType: DType) -> (weight: Tensor, bias: Tensor?) {
        let dtype = input.dtype
        if !includeBias && gradientType == .float32
            && Self.winogradComputesWeightGradient(channels: weightShape[1], filters: weightShape[0])
            && usesWinograd(inputShape: input.shape, weightShape: weightShape, geometry: geometry, dtype: dtype) {
            return (winogradBackwardWeights(input: input, gradientOfOutput: gradientOfOutput, weightShape: weightShape),
                    nil)
        }
        if !includeBias && gradientType == .float32
            && usesNarrowConvolution(inputShape: input.shape, weightShape: weightShape, geometry: geometry,
                                     dtype: dtype) {
            return (narrowConvolutionBackwardWeights(input: input, gradientOfOutput: gradientOfOutput,
                                                     weightShape: weightShape), nil)
        }
        let outputShape = geometry.outputShape(input: input.shape, weight: weightShape)
        if dtype == .bfloat16 && Self.bfloat16WeightGradientIsSlow(output: outputShape, weight: weightShape,
                                                                    geometry: geometry) {
            let gradients = convolutionBackwardWeights(input: convert(input, to: .float32),
                                                       gradientOfOutput: convert(gradientOfOutput, to: .float32),
                                                       weightShape: weightShape, geometry: geometry,
                                                       includeBias: includeBias, gradientType: .float32)
            return (convert(gradients.weight, to: gradientType), gradients.bias)
        }
        let forward = convolutionForwardPrimitive(inputShape: input.shape, weightShape: weightShape,
                                                  hasBias: includeBias, geometry: geometry, dtype: dtype)
        let groupedWeightDimensions = weightDimensions(weightShape, groups: geometry.groups)
        let key = PrimitiveKey(kind: .convolutionBackwardWeights,
                               dimensions: [input.shape.dimensions, weightShape.dimensions],
                               settings: geometry.cacheSettings + [dtype.cacheCode, gradientType.cacheCode,
                                                                   includeBias ? 1 : 0])
        let backward = dnnl.primitive(for: key) {
            var descriptor = dnnl_convolution_desc_t()
            var source = MemoryDescriptor(any: input.shape.dimensions, dtype: dtype).raw
            var gradientOfWeights = MemoryDescriptor(any: groupedWeightDimensions, dtype: gradientType).raw
            var gradientOfBias = includeBias ? MemoryDescriptor(plain: [weightShape[0]], dtype: .float32).raw : dnnl_memory_desc_t()
            var gradientOfOutput = MemoryDescriptor(any: outputShape.dimensions, dtype: dtype).raw
            let (strides, dilations, paddingLeft, paddingRight) = geometry.dnnlArrays
            check(dnnl_dilated_convolution_backward_weights_desc_init(
                      &descriptor, convolutionAlgorithm.dnnlKind, &source, &gradientOfWeights,
                      &gradientOfBias, &gradientOfOutput,
                      strides, dilations, paddingLeft, paddingRight),
                  "convolution_backward_weights_desc_init")
            return Primitive(operation: &descriptor, engine: dnnl.engine, hint: forward,
                             what: "convolution backward-weights")
        }
        let sourceLayout = backward.memory(dnnl_query_src_md)
        let gradientOfWeightsLayout = backward.memory(dnnl_query_diff_weights_md)
        let gradientOfOutputLayout = backward.memory(dnnl_query_diff_dst_md)
        let weightGradientStorage = TensorStorage(byteCount: gradientOfWeightsLayout.byteCount, zeroed: false)
        var arguments = [
            (DNNL_ARG_SRC, sourceLayout, dnnl.storage(of: input, as: sourceLayout)),
            (DNNL_ARG_DIFF_DST, gradientOfOutputLayout, dnnl.storage(of: gradientOfOutput, as: gradientOfOutputLayout)),
            (DNNL_ARG_DIFF_WEIGHTS, gradientOfWeightsLayout, weightGradientStorage),
        ]
        var biasGradient: Tensor?
        if includeBias {
            let biasLayout = MemoryDescriptor(plain: [weightShape[0]], dtype: .float32)
            let bias = dnnl.allocate(shape: [weightShape[0]], descriptor: biasLayout)
            arguments.append((DNNL_ARG_DIFF_BIAS, biasLayout, bias.storage))
            biasGradient = bias
        }
        dnnl.execute(backward, arguments)
        let plainWeights = MemoryDescriptor(plain: groupedWeightDimensions, dtype: gradientType)
        // Every element is written by the reorder: no zero-filling of a buffer as large as the weights.
        let weightGradient = dnnl.allocate(shape: weightShape, descriptor: MemoryDescriptor(plain: weightShape.dimensions,
                                                                                            dtype: gradientType))
        dnnl.reorder(from: gradientOfWeightsLayout, weightGradientStorage, to: plainWeights, weightGradient.storage)
        return (weightGradient, biasGradient)
    }

    /// Whether oneDNN 2.6's bf16 weight-gradient kernel is pathologically slow for this convolution: f32 then.
    ///
    /// Shapes: output [N, K, P, Q], weight [K, C/groups, R, S]. Measured on this machine's
    /// avx512_core_bf16 kernel (`jit_bf16`), a kernel larger than 1x1 over an output of at most
    /// 4 pixels, or of at most 16 with a stride, takes ~500 ms where f32 takes ~2 ms (e.g.
    /// 64 images, 64 -> 64 channels, 3x3 over 2x2 maps): a ResNet-50 at 32 px with its
    /// stride-4 stem spent 95% of a step there. Such layers are tiny, so computing their
    /// weight gradient from f32 copies costs nothing measurable; the gradient is f32 anyway.
    static func bfloat16WeightGradientIsSlow(output: Shape, weight: Shape, geometry: ConvolutionGeometry) -> Bool {
        guard weight[2] * weight[3] > 1 else { return false }
        let pixels = output[2] * output[3]
        let strided = geometry.stride.height > 1 || geometry.stride.width > 1
        return pixels <= 4 || (strided && pixels <= 16)
    }

    /// The cached forward primitive, also the hint both backward primitives are made from.
    func convolutionForwardPrimitive(inputShape: Shape, weightShape: Shape, hasBias: Bool,
                                     geometry: ConvolutionGeometry, dtype: DType) -> Primitive {
        let key = PrimitiveKey(kind: .convolutionForward, dimensions: [inputShape.dimensions, weightShape.dimensions],
                               settings: geometry.cacheSettings + [dtype.cacheCode, hasBias ? 1 : 0])
        return dnnl.primitive(for: key) {
            var descriptor = forwardDescriptor(inputShape: inputShape, weightShape: weightShape, hasBias: hasBias,
                                               geometry: geometry, dtype: dtype, propagation: dnnl_forward_training)
            return Primitive(operation: &descriptor, engine: dnnl.engine, what: "convolution forward")
        }
    }

    /// A forward convolution descriptor with every memory layout left to oneDNN (`any`) but the plain f32 bias.
    func forwardDescriptor(inputShape: Shape, weightShape: Shape, hasBias: Bool, geometry: ConvolutionGeometry,
                           dtype: DType, propagation: dnnl_prop_kind_t) -> dnnl_convolution_desc_t {
        let outputShape = geometry.outputShape(input: inputShape, weight: weightShape)
        var descriptor = dnnl_convolution_desc_t()
        var source = MemoryDescriptor(any: inputShape.dimensions, dtype: dtype).raw
        var weights = MemoryDescriptor(any: weightDimensions(weightShape, groups: geometry.groups), dtype: dtype).raw
        var bias = hasBias ? MemoryDescriptor(plain: [weightShape[0]], dtype: .float32).raw : dnnl_memory_desc_t()
        var output = MemoryDescriptor(any: outputShape.dimensions, dtype: dtype).raw
        let (strides, dilations, paddingLeft, paddingRight) = geometry.dnnlArrays
        check(dnnl_dilated_convolution_forward_desc_init(
                  &descriptor, propagation, convolutionAlgorithm.dnnlKind, &source, &weights,
                  &bias, &output, strides, dilations, paddingLeft, paddingRight),
              "convolution_forward_desc_init(\(inputShape) * \(weightShape))")
        return descriptor
    }

    /// OIHW, or goihw when grouped.
    func weightDimensions(_ shape: Shape, groups: Int) -> [Int] {
        guard groups > 1 else { return shape.dimensions }
        return [groups, shape[0] / groups, shape[1], shape[2], shape[3]]
    }

    /// How a plain OIHW weight is described to a grouped primitive (nil: as it is).
    func groupedView(of weight: Tensor, groups: Int) -> MemoryDescriptor? {
        guard groups > 1, weight.format.isPlain else { return nil }
        return MemoryDescriptor(plain: weightDimensions(weight.shape, groups: groups), dtype: weight.dtype)
    }
}

extension ConvolutionGeometry {
    var cacheSettings: [Int] {
        [stride.height, stride.width, padding.height, padding.width, dilation.height, dilation.width, groups]
    }

    /// Strides, oneDNN dilations (PyTorch's minus one), left and right padding.
    var dnnlArrays: ([Int64], [Int64], [Int64], [Int64]) {
        (dnnlDimensions([stride.height, stride.width]),
         dnnlDimensions([dilation.height - 1, dilation.width - 1]),
         dnnlDimensions([padding.height, padding.width]),
         dnnlDimensions([padding.height, padding.width]))
    }
}
