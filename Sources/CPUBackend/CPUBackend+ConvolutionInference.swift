import CDNNL
import TensorCore

/// Evaluation-only convolutions with the ReLU and residual add fused as oneDNN post-ops.
///
/// The primitive is created for `dnnl_forward_inference` with a post-op chain of
/// `sum` (the residual, which oneDNN's sum post-op reads from the output buffer:
/// copied there first, or the residual's own storage when the caller allows it to
/// be overwritten) and then `eltwise_relu`. `preparedInferenceWeight` stores
/// a weight in the primitive's own layout and type once, so a folded network never
/// reorders weights again. Where the backend uses its Winograd kernels, the bias, add
/// and ReLU run in their output transform instead, and weights stay plain; likewise the
/// bias and ReLU in its narrow-input kernels (a stem, which has no residual).
extension CPUBackend {
    public func convolutionInference(input: Tensor, weight: Tensor, bias: Tensor?, geometry: ConvolutionGeometry,
                                     epilogue: ConvolutionEpilogue) -> Tensor {
        if usesWinograd(inputShape: input.shape, weightShape: weight.shape, geometry: geometry, dtype: input.dtype) {
            return winogradForward(input: input, weight: weight, bias: bias, epilogue: epilogue)
        }
        if epilogue.residual == nil
            && usesNarrowConvolution(inputShape: input.shape, weightShape: weight.shape, geometry: geometry,
                                     dtype: input.dtype) {
            return narrowConvolutionForward(input: input, weight: weight, bias: bias, relu: epilogue.appliesReLU)
        }
        let primitive = convolutionInferencePrimitive(inputShape: input.shape, weightShape: weight.shape,
                                                      hasBias: bias != nil, geometry: geometry, dtype: input.dtype,
                                                      epilogue: epilogue)
        let outputLayout = primitive.memory(dnnl_query_dst_md)
        let outputShape = geometry.outputShape(input: input.shape, weight: weight.shape)
        let output: Tensor
        if let residual = epilogue.residual {
            precondition(residual.shape == outputShape && residual.dtype == input.dtype,
                         "residual \(residual.shape) \(residual.dtype) for an output \(outputShape) \(input.dtype)")
            let residualLayout = MemoryDescriptor(of: residual)
            if epilogue.overwritesResidual && residualLayout.isEqual(to: outputLayout) {
                output = residual
            } else {
                output = dnnl.allocate(shape: outputShape, descriptor: outputLayout)
                dnnl.reorder(from: residualLayout, residual.storage, to: outputLayout, output.storage)
            }
        } else {
            output = dnnl.allocate(shape: outputShape, descriptor: outputLayout)
        }
        runForward(primitive, input: input, weight: weight, bias: bias, into: output, groups: geometry.groups)
        return output
    }

    public func preparedInferenceWeight(_ weight: Tensor, inputShape: Shape, hasBias: Bool,
                                        geometry: ConvolutionGeometry, dtype: DType) -> Tensor {
        if usesWinograd(inputShape: inputShape, weightShape: weight.shape, geometry: geometry, dtype: dtype)
            || usesNarrowConvolution(inputShape: inputShape, weightShape: weight.shape, geometry: geometry,
                                     dtype: dtype) {
            return weight
        }
        let primitive = convolutionInferencePrimitive(inputShape: inputShape, weightShape: weight.shape,
                                                      hasBias: hasBias, geometry: geometry, dtype: dtype,
                                                      epilogue: .none)
        let layout = primitive.memory(dnnl_query_weights_md)
        let source = groupedView(of: weight, groups: geometry.groups) ?? MemoryDescriptor(of: weight)
        if source.isEqual(to: layout) { return weight }
        let prepared = TensorStorage(byteCount: layout.byteCount, zeroed: false)
        dnnl.reorder(from: source, weight.storage, to: layout, prepared)
        let format: MemoryFormat = geometry.groups > 1 && layout.memoryFormat.isPlain
            ? .plain : layout.memoryFormat
        return Tensor(shape: weight.shape, dtype: dtype, format: format, storage: prepared)
    }

    /// The cached inference primitive; the post-ops only change the output loop, so every epilogue shares its layouts.
    func convolutionInferencePrimitive(inputShape: Shape, weightShape: Shape, hasBias: Bool,
                                       geometry: ConvolutionGeometry, dtype: DType,
                                       epilogue: ConvolutionEpilogue) -> Primitive {
        let epilogueCode = (epilogue.residual != nil ? 2 : 0) + (epilogue.appliesReLU ? 1 : 0)
        let key = PrimitiveKey(kind: .convolutionInference,
                               dimensions: [inputShape.dimensions, weightShape.dimensions],
                               settings: geometry.cacheSettings + [dtype.cacheCode, hasBias ? 1 : 0, epilogueCode])
        return dnnl.primitive(for: key) {
            var descriptor = forwardDescriptor(inputShape: inputShape, weightShape: weightShape, hasBias: hasBias,
                                               geometry: geometry, dtype: dtype, propagation: dnnl_forward_inference)
            var postOps: dnnl_post_ops_t?
            check(dnnl_post_ops_create(&postOps), "post_ops_create")
            defer { dnnl_post_ops_destroy(postOps) }
            if epilogue.residual != nil { check(dnnl_post_ops_append_sum(postOps, 1), "post_ops_append_sum") }
            if epilogue.appliesReLU {
                check(dnnl_post_ops_append_eltwise(postOps, 1, dnnl_eltwise_relu, 0, 0), "post_ops_append_eltwise")
            }
            let attributes = Primitive.makeAttributes()
            defer { dnnl_primitive_attr_destroy(attributes) }
            check(dnnl_primitive_attr_set_post_ops(attributes, postOps), "primitive_attr_set_post_ops")
            return Primitive(operation: &descriptor, engine: dnnl.engine, attributes: attributes,
                             what: "convolution inference")
        }
    }
}
