import CDNNL
import TensorCore

/// Max and average pooling on oneDNN, with PyTorch's ceil-mode and padding-count rules.
///
/// oneDNN expresses ceil mode as extra right padding. For averages that count
/// padding, oneDNN would then divide by the whole kernel even where the window runs
/// past the padded input, while PyTorch divides by the window clipped to it; Hone
/// multiplies those outputs (and their gradients) by the ratio of the two divisors.
extension CPUBackend {
    public func poolingForward(input: Tensor, geometry: PoolingGeometry) -> (output: Tensor, workspace: Workspace?) {
        let forward = poolingForwardPrimitive(input: input, geometry: geometry)
        let outputLayout = forward.memory(dnnl_query_dst_md)
        let output = dnnl.allocate(shape: geometry.outputShape(input: input.shape), descriptor: outputLayout)
        var arguments = [
            (DNNL_ARG_SRC, MemoryDescriptor(of: input), input.storage),
            (DNNL_ARG_DST, outputLayout, output.storage),
        ]
        var workspace: Workspace?
        if forward.hasMemory(dnnl_query_workspace_md) {
            let layout = forward.memory(dnnl_query_workspace_md)
            let storage = TensorStorage(byteCount: layout.byteCount)
            arguments.append((DNNL_ARG_WORKSPACE, layout, storage))
            workspace = Workspace(storage: storage, format: layout.workspaceFormat)
        }
        dnnl.execute(forward, arguments)
        if let correction = divisorCorrection(inputShape: input.shape, geometry: geometry) {
            return (multiply(output, broadcasting: correction), workspace)
        }
        return (output, workspace)
    }

    public func poolingBackward(gradientOfOutput: Tensor, input: Tensor, geometry: PoolingGeometry,
                                workspace: Workspace?) -> Tensor {
        let forward = poolingForwardPrimitive(input: input, geometry: geometry)
        let outputShape = geometry.outputShape(input: input.shape)
        let (strides, kernel, paddingLeft, paddingRight) = poolingArrays(inputShape: input.shape, geometry: geometry)
        let inputLayout = MemoryDescriptor(of: input)
        let outputLayout = forward.memory(dnnl_query_dst_md)
        let key = PrimitiveKey(kind: .poolingBackward, dimensions: [input.shape.dimensions],
                               layouts: [inputLayout.canonicalKey], settings: poolingSettings(geometry))
        let backward = dnnl.primitive(for: key) {
            var descriptor = dnnl_pooling_desc_t()
            var gradientOfInput = inputLayout.raw
            var gradientOfOutput = outputLayout.raw
            check(dnnl_pooling_backward_desc_init(&descriptor, poolingAlgorithm(geometry.kind), &gradientOfInput,
                                                  &gradientOfOutput, strides, kernel, paddingLeft, paddingRight),
                  "pooling_backward_desc_init")
            return Primitive(operation: &descriptor, engine: dnnl.engine, hint: forward, what: "pooling backward")
        }
        var gradient = gradientOfOutput
        if let correction = divisorCorrection(inputShape: input.shape, geometry: geometry) {
            gradient = multiply(gradientOfOutput, broadcasting: correction)
        }
        let gradientLayout = backward.memory(dnnl_query_diff_dst_md)
        let result = dnnl.allocate(shape: input.shape, descriptor: backward.memory(dnnl_query_diff_src_md))
        var arguments = [
            (DNNL_ARG_DIFF_DST, gradientLayout, dnnl.storage(of: gradient, as: gradientLayout)),
            (DNNL_ARG_DIFF_SRC, backward.memory(dnnl_query_diff_src_md), result.storage),
        ]
        if let workspace {
            arguments.append((DNNL_ARG_WORKSPACE, backward.memory(dnnl_query_workspace_md), workspace.storage))
        }
        precondition(outputShape.dimensions == gradientOfOutput.shape.dimensions,
                     "pooling gradient has shape \(gradientOfOutput.shape), expected \(outputShape)")
        dnnl.execute(backward, arguments)
        return result
    }

    func poolingForwardPrimitive(input: Tensor, geometry: PoolingGeometry) -> Primitive {
        let inputLayout = MemoryDescriptor(of: input)
        let outputShape = geometry.outputShape(input: input.shape)
        let key = PrimitiveKey(kind: .poolingForward, dimensions: [input.shape.dimensions],
                               layouts: [inputLayout.canonicalKey], settings: poolingSettings(geometry))
        return dnnl.primitive(for: key) {
            let (strides, kernel, paddingLeft, paddingRight) = poolingArrays(inputShape: input.shape, geometry: geometry)
            var descriptor = dnnl_pooling_desc_t()
            var source = inputLayout.raw
            var output = MemoryDescriptor(any: outputShape.dimensions, dtype: input.dtype).raw
            check(dnnl_pooling_forward_desc_init(&descriptor, dnnl_forward_training, poolingAlgorithm(geometry.kind),
                                                 &source, &output, strides, kernel, paddingLeft, paddingRight),
                  "pooling_forward_desc_init(\(input.shape))")
            return Primitive(operation: &descriptor, engine: dnnl.engine, what: "pooling forward")
        }
    }

    func poolingAlgorithm(_ kind: PoolingGeometry.Kind) -> dnnl_alg_kind_t {
        switch kind {
        case .max: dnnl_pooling_max
        case .average(countIncludePadding: true): dnnl_pooling_avg_include_padding
        case .average(countIncludePadding: false): dnnl_pooling_avg_exclude_padding
        }
    }

    func poolingSettings(_ geometry: PoolingGeometry) -> [Int] {
        let kindCode: Int = switch geometry.kind {
        case .max: 0
        case .average(countIncludePadding: true): 1
        case .average(countIncludePadding: false): 2
        }
        return [kindCode, geometry.kernel.height, geometry.kernel.width, geometry.stride.height, geometry.stride.width,
                geometry.padding.height, geometry.padding.width, geometry.ceilMode ? 1 : 0]
    }

    /// Strides, kernel, left padding, and the right padding that makes oneDNN produce PyTorch's output size.
    func poolingArrays(inputShape: Shape, geometry: PoolingGeometry) -> ([Int64], [Int64], [Int64], [Int64]) {
        let outputShape = geometry.outputShape(input: inputShape)
        let rightHeight = max(0, (outputShape[2] - 1) * geometry.stride.height + geometry.kernel.height
                                 - inputShape[2] - geometry.padding.height)
        let rightWidth = max(0, (outputShape[3] - 1) * geometry.stride.width + geometry.kernel.width
                                - inputShape[3] - geometry.padding.width)
        return (dnnlDimensions([geometry.stride.height, geometry.stride.width]),
                dnnlDimensions([geometry.kernel.height, geometry.kernel.width]),
                dnnlDimensions([geometry.padding.height, geometry.padding.width]),
                dnnlDimensions([rightHeight, rightWidth]))
    }

    /// Per-output-position factors (kernel area / PyTorch's divisor), [1, 1, OH, OW]; nil when all are 1.
    func divisorCorrection(inputShape: Shape, geometry: PoolingGeometry) -> Tensor? {
        guard case .average(countIncludePadding: true) = geometry.kind, geometry.ceilMode else { return nil }
        let outputShape = geometry.outputShape(input: inputShape)
        func clippedLengths(count: Int, input: Int, kernel: Int, stride: Int, padding: Int) -> [Int] {
            (0..<count).map { index in
                let start = index * stride - padding
                return min(start + kernel, input + padding) - start
            }
        }
        let heights = clippedLengths(count: outputShape[2], input: inputShape[2], kernel: geometry.kernel.height,
                                     stride: geometry.stride.height, padding: geometry.padding.height)
        let widths = clippedLengths(count: outputShape[3], input: inputShape[3], kernel: geometry.kernel.width,
                                    stride: geometry.stride.width, padding: geometry.padding.width)
        let area = Float(geometry.kernel.height * geometry.kernel.width)
        var factors: [Float] = []
        for height in heights {
            for width in widths { factors.append(area / Float(height * width)) }
        }
        guard factors.contains(where: { $0 != 1 }) else { return nil }
        return Tensor(shape: [1, 1, outputShape[2], outputShape[3]], scalars: factors)
    }
}
