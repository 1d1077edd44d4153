import CDNNL
import TensorCore

/// ReLU, addition, scaling and broadcast multiplication on oneDNN's eltwise and binary primitives.
///
/// All of these run in the layout of their first input, so a blocked activation
/// stays blocked; a second input in another layout is read as it is.
extension CPUBackend {
    public func reluForward(_ input: Tensor) -> Tensor {
        let forward = reluForwardPrimitive(layout: MemoryDescriptor(of: input))
        let output = dnnl.allocate(shape: input.shape, descriptor: forward.memory(dnnl_query_dst_md))
        dnnl.execute(forward, [
            (DNNL_ARG_SRC, MemoryDescriptor(of: input), input.storage),
            (DNNL_ARG_DST, forward.memory(dnnl_query_dst_md), output.storage),
        ])
        return output
    }

    public func reluBackward(gradientOfOutput: Tensor, output: Tensor) -> Tensor {
        let outputLayout = MemoryDescriptor(of: output)
        let forward = reluForwardPrimitive(layout: outputLayout)
        let key = PrimitiveKey(kind: .reluBackward, layouts: [outputLayout.canonicalKey])
        let backward = dnnl.primitive(for: key) {
            var descriptor = dnnl_eltwise_desc_t()
            var data = outputLayout.raw
            var gradient = outputLayout.raw
            check(dnnl_eltwise_backward_desc_init(&descriptor, dnnl_eltwise_relu_use_dst_for_bwd, &gradient, &data, 0, 0),
                  "eltwise_backward_desc_init(relu)")
            return Primitive(operation: &descriptor, engine: dnnl.engine, hint: forward, what: "relu backward")
        }
        let gradientLayout = backward.memory(dnnl_query_diff_dst_md)
        let result = dnnl.allocate(shape: output.shape, descriptor: backward.memory(dnnl_query_diff_src_md))
        dnnl.execute(backward, [
            (DNNL_ARG_DST, outputLayout, output.storage),
            (DNNL_ARG_DIFF_DST, gradientLayout, dnnl.storage(of: gradientOfOutput, as: gradientLayout)),
            (DNNL_ARG_DIFF_SRC, backward.memory(dnnl_query_diff_src_md), result.storage),
        ])
        return result
    }

    public func add(_ lhs: Tensor, _ rhs: Tensor) -> Tensor {
        precondition(lhs.shape == rhs.shape, "cannot add \(lhs.shape) and \(rhs.shape)")
        let (first, second) = inOneLayout(lhs, rhs)
        return binary(.binaryAdd, first, second)
    }

    public func addThenReLU(_ lhs: Tensor, _ rhs: Tensor) -> Tensor {
        precondition(lhs.shape == rhs.shape, "cannot add \(lhs.shape) and \(rhs.shape)")
        let (first, second) = inOneLayout(lhs, rhs)
        return binary(.binaryAdd, first, second, reluAfter: true)
    }

    /// `lhs` and `rhs` in `lhs`'s memory layout (the result's).
    ///
    /// oneDNN 2.6 adds a plain and a blocked tensor with its reference kernel: 26 ms
    /// for a ResNet-18 activation at 112 px where a reorder and the vectorised add take
    /// 2. Gradients meet that way where an op computed in Swift (group norm) returns a
    /// plain gradient beside a convolution's blocked one.
    func inOneLayout(_ lhs: Tensor, _ rhs: Tensor) -> (Tensor, Tensor) {
        guard lhs.format != rhs.format, lhs.dtype == rhs.dtype else { return (lhs, rhs) }
        return (lhs, reorder(rhs, to: lhs.format))
    }

    public func multiply(_ input: Tensor, perSampleScale scale: Tensor) -> Tensor {
        precondition(scale.shape == [input.shape[0]], "per-sample scale of shape \(scale.shape) for input \(input.shape)")
        if let chunked = multiplyBySampleChunks(input, perSampleScale: scale) { return chunked }
        var broadcastShape = [Int](repeating: 1, count: input.shape.rank)
        broadcastShape[0] = input.shape[0]
        return binary(.binaryMultiply, input, scale.reshaped(Shape(broadcastShape)))
    }

    public func scale(_ input: Tensor, by factor: Float) -> Tensor {
        let layout = MemoryDescriptor(of: input)
        let key = PrimitiveKey(kind: .linearScale, layouts: [layout.canonicalKey], factor: factor)
        let primitive = dnnl.primitive(for: key) {
            var descriptor = dnnl_eltwise_desc_t()
            var data = layout.raw
            check(dnnl_eltwise_forward_desc_init(&descriptor, dnnl_forward_inference, dnnl_eltwise_linear, &data, factor, 0),
                  "eltwise_forward_desc_init(linear)")
            return Primitive(operation: &descriptor, engine: dnnl.engine, what: "scale")
        }
        let output = dnnl.allocate(shape: input.shape, descriptor: primitive.memory(dnnl_query_dst_md))
        dnnl.execute(primitive, [
            (DNNL_ARG_SRC, layout, input.storage),
            (DNNL_ARG_DST, primitive.memory(dnnl_query_dst_md), output.storage),
        ])
        return output
    }

    /// `input * factors` where `factors` is a plain float32 tensor broadcast over the axes where it has size 1.
    func multiply(_ input: Tensor, broadcasting factors: Tensor) -> Tensor {
        binary(.binaryMultiply, input, factors)
    }

    /// `lhs (+|×) rhs`, optionally followed by ReLU as a post-op in the same pass; the output takes `lhs`'s layout.
    func binary(_ kind: PrimitiveKey.Kind, _ lhs: Tensor, _ rhs: Tensor, reluAfter: Bool = false) -> Tensor {
        let lhsLayout = MemoryDescriptor(of: lhs)
        let rhsLayout = MemoryDescriptor(of: rhs)
        let key = PrimitiveKey(kind: kind, layouts: [lhsLayout.canonicalKey, rhsLayout.canonicalKey],
                               settings: [reluAfter ? 1 : 0])
        let primitive = dnnl.primitive(for: key) {
            var descriptor = dnnl_binary_desc_t()
            var first = lhsLayout.raw
            var second = rhsLayout.raw
            var output = lhsLayout.raw
            let algorithm = kind == .binaryAdd ? dnnl_binary_add : dnnl_binary_mul
            check(dnnl_binary_desc_init(&descriptor, algorithm, &first, &second, &output),
                  "binary_desc_init(\(lhsLayout.layoutName), \(rhsLayout.layoutName))")
            guard reluAfter else { return Primitive(operation: &descriptor, engine: dnnl.engine, what: "binary") }
            var postOps: dnnl_post_ops_t?
            check(dnnl_post_ops_create(&postOps), "post_ops_create")
            defer { dnnl_post_ops_destroy(postOps) }
            check(dnnl_post_ops_append_eltwise(postOps, 1, dnnl_eltwise_relu, 0, 0), "post_ops_append_eltwise")
            let attributes = Primitive.makeAttributes()
            defer { dnnl_primitive_attr_destroy(attributes) }
            check(dnnl_primitive_attr_set_post_ops(attributes, postOps), "primitive_attr_set_post_ops")
            return Primitive(operation: &descriptor, engine: dnnl.engine, attributes: attributes, what: "binary + relu")
        }
        let output = dnnl.allocate(shape: lhs.shape, descriptor: primitive.memory(dnnl_query_dst_md))
        dnnl.execute(primitive, [
            (DNNL_ARG_SRC_0, lhsLayout, lhs.storage),
            (DNNL_ARG_SRC_1, rhsLayout, rhs.storage),
            (DNNL_ARG_DST, primitive.memory(dnnl_query_dst_md), output.storage),
        ])
        return output
    }

    func reluForwardPrimitive(layout: MemoryDescriptor) -> Primitive {
        let key = PrimitiveKey(kind: .reluForward, layouts: [layout.canonicalKey])
        return dnnl.primitive(for: key) {
            var descriptor = dnnl_eltwise_desc_t()
            var data = layout.raw
            check(dnnl_eltwise_forward_desc_init(&descriptor, dnnl_forward_training, dnnl_eltwise_relu_use_dst_for_bwd,
                                                 &data, 0, 0),
                  "eltwise_forward_desc_init(relu)")
            return Primitive(operation: &descriptor, engine: dnnl.engine, what: "relu forward")
        }
    }
}
