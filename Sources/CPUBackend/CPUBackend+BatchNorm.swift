import CDNNL
import TensorCore

/// Batch normalisation on oneDNN: training forward (batch statistics), inference forward, backward.
///
/// The primitive runs in the input's own layout (blocked from the convolution
/// before it), with float32 scale, shift and statistics whatever the data type.
extension CPUBackend {
    public func batchNormTrainingForward(input: Tensor, scale: Tensor, shift: Tensor, epsilon: Float,
                                         fuseReLU: Bool) -> BatchNormTrainingOutput {
        let channels = input.shape[1]
        let forward = batchNormTrainingPrimitive(input: input, epsilon: epsilon, fuseReLU: fuseReLU)
        let dataLayout = forward.memory(dnnl_query_src_md)
        let output = dnnl.allocate(shape: input.shape, descriptor: forward.memory(dnnl_query_dst_md))
        let mean = Tensor(zeros: [channels])
        let variance = Tensor(zeros: [channels])
        let vector = MemoryDescriptor(plain: [channels], dtype: .float32)
        var arguments = [
            (DNNL_ARG_SRC, dataLayout, dnnl.storage(of: input, as: dataLayout)),
            (DNNL_ARG_DST, forward.memory(dnnl_query_dst_md), output.storage),
            (DNNL_ARG_SCALE, vector, dnnl.storage(of: scale, as: vector)),
            (DNNL_ARG_SHIFT, vector, dnnl.storage(of: shift, as: vector)),
            (DNNL_ARG_MEAN, vector, mean.storage),
            (DNNL_ARG_VARIANCE, vector, variance.storage),
        ]
        var workspace: Workspace?
        if fuseReLU {
            let layout = forward.memory(dnnl_query_workspace_md)
            let storage = TensorStorage(byteCount: layout.byteCount)
            arguments.append((DNNL_ARG_WORKSPACE, layout, storage))
            workspace = Workspace(storage: storage, format: layout.workspaceFormat)
        }
        dnnl.execute(forward, arguments)
        return BatchNormTrainingOutput(output: output, mean: mean, variance: variance, workspace: workspace)
    }

    public func batchNormInferenceForward(input: Tensor, scale: Tensor, shift: Tensor, mean: Tensor,
                                          variance: Tensor, epsilon: Float, fuseReLU: Bool) -> Tensor {
        let channels = input.shape[1]
        let dataLayout = MemoryDescriptor(of: input)
        let flags = batchNormFlags(fuseReLU: fuseReLU, useGlobalStatistics: true)
        let key = PrimitiveKey(kind: .batchNormInference, layouts: [dataLayout.canonicalKey],
                               settings: [Int(flags)], factor: epsilon)
        let inference = dnnl.primitive(for: key) {
            var descriptor = dnnl_batch_normalization_desc_t()
            var data = dataLayout.raw
            check(dnnl_batch_normalization_forward_desc_init(&descriptor, dnnl_forward_inference, &data, epsilon, flags),
                  "batch_normalization_forward_desc_init(inference)")
            return Primitive(operation: &descriptor, engine: dnnl.engine, what: "batch norm inference")
        }
        let output = dnnl.allocate(shape: input.shape, descriptor: inference.memory(dnnl_query_dst_md))
        let vector = MemoryDescriptor(plain: [channels], dtype: .float32)
        dnnl.execute(inference, [
            (DNNL_ARG_SRC, dataLayout, input.storage),
            (DNNL_ARG_DST, inference.memory(dnnl_query_dst_md), output.storage),
            (DNNL_ARG_SCALE, vector, dnnl.storage(of: scale, as: vector)),
            (DNNL_ARG_SHIFT, vector, dnnl.storage(of: shift, as: vector)),
            (DNNL_ARG_MEAN, vector, dnnl.storage(of: mean, as: vector)),
            (DNNL_ARG_VARIANCE, vector, dnnl.storage(of: variance, as: vector)),
        ])
        return output
    }

    public func batchNormBackward(gradientOfOutput: Tensor, input: Tensor, scale: Tensor, shift: Tensor,
                                  saved: BatchNormSavedStatistics, epsilon: Float, fuseReLU: Bool,
                                  useGlobalStatistics: Bool) -> (input: Tensor, scale: Tensor, shift: Tensor) {
        let channels = input.shape[1]
        let forward = batchNormTrainingPrimitive(input: input, epsilon: epsilon, fuseReLU: fuseReLU,
                                                 useGlobalStatistics: useGlobalStatistics)
        let dataLayout = MemoryDescriptor(of: input)
        let flags = batchNormFlags(fuseReLU: fuseReLU, useGlobalStatistics: useGlobalStatistics)
        let key = PrimitiveKey(kind: .batchNormBackward, layouts: [dataLayout.canonicalKey],
                               settings: [Int(flags)], factor: epsilon)
        let backward = dnnl.primitive(for: key) {
            var descriptor = dnnl_batch_normalization_desc_t()
            var data = dataLayout.raw
            var gradient = dataLayout.raw
            check(dnnl_batch_normalization_backward_desc_init(&descriptor, dnnl_backward, &gradient, &data, epsilon, flags),
                  "batch_normalization_backward_desc_init")
            return Primitive(operation: &descriptor, engine: dnnl.engine, hint: forward, what: "batch norm backward")
        }
        let gradientLayout = backward.memory(dnnl_query_diff_dst_md)
        let result = dnnl.allocate(shape: input.shape, descriptor: backward.memory(dnnl_query_diff_src_md))
        let vector = MemoryDescriptor(plain: [channels], dtype: .float32)
        let scaleGradient = Tensor(zeros: [channels])
        let shiftGradient = Tensor(zeros: [channels])
        var arguments = [
            (DNNL_ARG_SRC, dataLayout, input.storage),
            (DNNL_ARG_MEAN, vector, saved.mean.storage),
            (DNNL_ARG_VARIANCE, vector, saved.variance.storage),
            (DNNL_ARG_DIFF_DST, gradientLayout, dnnl.storage(of: gradientOfOutput, as: gradientLayout)),
            (DNNL_ARG_SCALE, vector, dnnl.storage(of: scale, as: vector)),
            (DNNL_ARG_SHIFT, vector, dnnl.storage(of: shift, as: vector)),
            (DNNL_ARG_DIFF_SRC, backward.memory(dnnl_query_diff_src_md), result.storage),
            (DNNL_ARG_DIFF_SCALE, vector, scaleGradient.storage),
            (DNNL_ARG_DIFF_SHIFT, vector, shiftGradient.storage),
        ]
        if fuseReLU, let workspace = saved.workspace {
            arguments.append((DNNL_ARG_WORKSPACE, backward.memory(dnnl_query_workspace_md), workspace.storage))
        }
        dnnl.execute(backward, arguments)
        return (result, scaleGradient, shiftGradient)
    }

    /// The cached training-mode forward primitive, also the hint for the backward.
    func batchNormTrainingPrimitive(input: Tensor, epsilon: Float, fuseReLU: Bool,
                                    useGlobalStatistics: Bool = false) -> Primitive {
        let dataLayout = MemoryDescriptor(of: input)
        let flags = batchNormFlags(fuseReLU: fuseReLU, useGlobalStatistics: useGlobalStatistics)
        let key = PrimitiveKey(kind: .batchNormTraining, layouts: [dataLayout.canonicalKey],
                               settings: [Int(flags)], factor: epsilon)
        return dnnl.primitive(for: key) {
            var descriptor = dnnl_batch_normalization_desc_t()
            var data = dataLayout.raw
            check(dnnl_batch_normalization_forward_desc_init(&descriptor, dnnl_forward_training, &data, epsilon, flags),
                  "batch_normalization_forward_desc_init(training, \(input.shape) \(dataLayout.layoutName))")
            return Primitive(operation: &descriptor, engine: dnnl.engine, what: "batch norm training")
        }
    }

    func batchNormFlags(fuseReLU: Bool, useGlobalStatistics: Bool = false) -> UInt32 {
        var flags = dnnl_use_scale.rawValue | dnnl_use_shift.rawValue
        if fuseReLU { flags |= dnnl_fuse_norm_relu.rawValue }
        if useGlobalStatistics { flags |= dnnl_use_global_stats.rawValue }
        return flags
    }
}
