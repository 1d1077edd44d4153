import CDNNL
import TensorCore

/// Fully connected layers (y = x Wᵀ + b) on oneDNN's inner-product primitives.
///
/// Features and outputs are plain [N, C]; the weight is reordered to whatever the
/// primitive prefers and its gradient reordered back to plain [out, in].
extension CPUBackend {
    public func linearForward(input: Tensor, weight: Tensor, bias: Tensor?) -> Tensor {
        let forward = linearForwardPrimitive(inputShape: input.shape, weightShape: weight.shape,
                                             hasBias: bias != nil, dtype: input.dtype)
        let sourceLayout = forward.memory(dnnl_query_src_md)
        let weightsLayout = forward.memory(dnnl_query_weights_md)
        let outputLayout = forward.memory(dnnl_query_dst_md)
        let output = dnnl.allocate(shape: [input.shape[0], weight.shape[0]], descriptor: outputLayout)
        var arguments = [
            (DNNL_ARG_SRC, sourceLayout, dnnl.storage(of: input, as: sourceLayout)),
            (DNNL_ARG_WEIGHTS, weightsLayout, dnnl.storage(of: weight, as: weightsLayout)),
            (DNNL_ARG_DST, outputLayout, output.storage),
        ]
        if let bias {
            let biasLayout = MemoryDescriptor(plain: [weight.shape[0]], dtype: .float32)
            arguments.append((DNNL_ARG_BIAS, biasLayout, dnnl.storage(of: bias, as: biasLayout)))
        }
        dnnl.execute(forward, arguments)
        return output
    }

    public func linearBackwardData(gradientOfOutput: Tensor, weight: Tensor) -> Tensor {
        let dtype = gradientOfOutput.dtype
        let inputShape: Shape = [gradientOfOutput.shape[0], weight.shape[1]]
        let forward = linearForwardPrimitive(inputShape: inputShape, weightShape: weight.shape, hasBias: false, dtype: dtype)
        let key = PrimitiveKey(kind: .linearBackwardData, dimensions: [inputShape.dimensions, weight.shape.dimensions],
                               settings: [dtype.cacheCode])
        let backward = dnnl.primitive(for: key) {
            var descriptor = dnnl_inner_product_desc_t()
            var gradientOfInput = MemoryDescriptor(plain: inputShape.dimensions, dtype: dtype).raw
            var weights = MemoryDescriptor(any: weight.shape.dimensions, dtype: dtype).raw
            var gradient = MemoryDescriptor(plain: gradientOfOutput.shape.dimensions, dtype: dtype).raw
            check(dnnl_inner_product_backward_data_desc_init(&descriptor, &gradientOfInput, &weights, &gradient),
                  "inner_product_backward_data_desc_init")
            return Primitive(operation: &descriptor, engine: dnnl.engine, hint: forward, what: "linear backward-data")
        }
        let gradientLayout = backward.memory(dnnl_query_diff_dst_md)
        let weightsLayout = backward.memory(dnnl_query_weights_md)
        let result = dnnl.allocate(shape: inputShape, descriptor: backward.memory(dnnl_query_diff_src_md))
        dnnl.execute(backward, [
            (DNNL_ARG_DIFF_DST, gradientLayout, dnnl.storage(of: gradientOfOutput, as: gradientLayout)),
            (DNNL_ARG_WEIGHTS, weightsLayout, dnnl.storage(of: weight, as: weightsLayout)),
            (DNNL_ARG_DIFF_SRC, backward.memory(dnnl_query_diff_src_md), result.storage),
        ])
        return result
    }

    public func linearBackwardWeights(input: Tensor, gradientOfOutput: Tensor, weightShape: Shape, includeBias: Bool,
                                      gradientType: DType) -> (weight: Tensor, bias: Tensor?) {
        let dtype = input.dtype
        let forward = linearForwardPrimitive(inputShape: input.shape, weightShape: weightShape,
                                             hasBias: includeBias, dtype: dtype)
        let key = PrimitiveKey(kind: .linearBackwardWeights, dimensions: [input.shape.dimensions, weightShape.dimensions],
                               settings: [dtype.cacheCode, gradientType.cacheCode, includeBias ? 1 : 0])
        let backward = dnnl.primitive(for: key) {
            var descriptor = dnnl_inner_product_desc_t()
            var source = MemoryDescriptor(plain: input.shape.dimensions, dtype: dtype).raw
            var gradientOfWeights = MemoryDescriptor(any: weightShape.dimensions, dtype: gradientType).raw
            var gradientOfBias = includeBias
                ? MemoryDescriptor(plain: [weightShape[0]], dtype: .float32).raw : dnnl_memory_desc_t()
            var gradient = MemoryDescriptor(plain: gradientOfOutput.shape.dimensions, dtype: dtype).raw
            check(dnnl_inner_product_backward_weights_desc_init(&descriptor, &source, &gradientOfWeights,
                                                                &gradientOfBias, &gradient),
                  "inner_product_backward_weights_desc_init")
            return Primitive(operation: &descriptor, engine: dnnl.engine, hint: forward, what: "linear backward-weights")
        }
        let sourceLayout = backward.memory(dnnl_query_src_md)
        let gradientLayout = backward.memory(dnnl_query_diff_dst_md)
        let weightGradientLayout = backward.memory(dnnl_query_diff_weights_md)
        let weightGradientStorage = TensorStorage(byteCount: weightGradientLayout.byteCount)
        var arguments = [
            (DNNL_ARG_SRC, sourceLayout, dnnl.storage(of: input, as: sourceLayout)),
            (DNNL_ARG_DIFF_DST, gradientLayout, dnnl.storage(of: gradientOfOutput, as: gradientLayout)),
            (DNNL_ARG_DIFF_WEIGHTS, weightGradientLayout, weightGradientStorage),
        ]
        var biasGradient: Tensor?
        if includeBias {
            let bias = Tensor(zeros: [weightShape[0]])
            arguments.append((DNNL_ARG_DIFF_BIAS, MemoryDescriptor(plain: [weightShape[0]], dtype: .float32), bias.storage))
            biasGradient = bias
        }
        dnnl.execute(backward, arguments)
        let weightGradient = Tensor(zeros: weightShape, dtype: gradientType)
        dnnl.reorder(from: weightGradientLayout, weightGradientStorage,
                     to: MemoryDescriptor(plain: weightShape.dimensions, dtype: gradientType), weightGradient.storage)
        return (weightGradient, biasGradient)
    }

    func linearForwardPrimitive(inputShape: Shape, weightShape: Shape, hasBias: Bool, dtype: DType) -> Primitive {
        precondition(inputShape.rank == 2 && weightShape.rank == 2 && inputShape[1] == weightShape[1],
                     "linear needs [N, in] input and [out, in] weight, got \(inputShape) and \(weightShape)")
        let key = PrimitiveKey(kind: .linearForward, dimensions: [inputShape.dimensions, weightShape.dimensions],
                               settings: [dtype.cacheCode, hasBias ? 1 : 0])
        return dnnl.primitive(for: key) {
            var descriptor = dnnl_inner_product_desc_t()
            var source = MemoryDescriptor(plain: inputShape.dimensions, dtype: dtype).raw
            var weights = MemoryDescriptor(any: weightShape.dimensions, dtype: dtype).raw
            var bias = hasBias ? MemoryDescriptor(plain: [weightShape[0]], dtype: .float32).raw : dnnl_memory_desc_t()
            var output = MemoryDescriptor(plain: [inputShape[0], weightShape[0]], dtype: dtype).raw
            check(dnnl_inner_product_forward_desc_init(&descriptor, dnnl_forward_training, &source, &weights, &bias, &output),
                  "inner_product_forward_desc_init(\(inputShape) * \(weightShape))")
            return Primitive(operation: &descriptor, engine: dnnl.engine, what: "linear forward")
        }
    }
}
