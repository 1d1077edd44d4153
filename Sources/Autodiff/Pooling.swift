import TensorCore

/// Max or average pooling of an NCHW input, PyTorch's semantics (ceil mode, padding count).
public func pool2d(_ input: Variable, geometry: PoolingGeometry) -> Variable {
    let backend = Compute.backend
    let (output, workspace) = backend.poolingForward(input: input.value, geometry: geometry)
    return Variable.result(output, inputs: [input]) { gradient in
        [backend.poolingBackward(gradientOfOutput: gradient, input: input.value, geometry: geometry,
                                 workspace: workspace)]
    }
}

/// Max pooling with a square `kernel` (stride defaults to the kernel), as `nn.MaxPool2d`.
public func maxPool2d(_ input: Variable, kernel: Int, stride: Int? = nil, padding: Int = 0,
                      ceilMode: Bool = false) -> Variable {
    pool2d(input, geometry: PoolingGeometry(kind: .max, kernel: kernel, stride: stride, padding: padding,
                                            ceilMode: ceilMode))
}

/// Average pooling with a square `kernel`, as `nn.AvgPool2d` (ResNet-D's shortcut uses 2, 2, ceil mode, no padding count).
public func averagePool2d(_ input: Variable, kernel: Int, stride: Int? = nil, padding: Int = 0,
                          ceilMode: Bool = false, countIncludePadding: Bool = true) -> Variable {
    pool2d(input, geometry: PoolingGeometry(kind: .average(countIncludePadding: countIncludePadding), kernel: kernel,
                                            stride: stride, padding: padding, ceilMode: ceilMode))
}

/// The mean over each channel's H×W plane: NCHW → [N, C] (plain), as `AdaptiveAvgPool2d(1)` then flatten.
public func globalAveragePool(_ input: Variable) -> Variable {
    let geometry = PoolingGeometry(kind: .average(countIncludePadding: false), kernel: (input.shape[2], input.shape[3]),
                                   stride: (1, 1), padding: (0, 0))
    return flatten(pool2d(input, geometry: geometry))
}
