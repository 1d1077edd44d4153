/// The kernels a compute device provides, each big op as a forward AND its backward.
///
/// Autodiff records which kernels ran and calls the matching backward kernels; it
/// never re-derives them. A `Workspace` carries what a forward kernel saved for its
/// backward (oneDNN's max-pool indices or fused-ReLU mask today, a cuDNN reserve
/// tomorrow). Inputs may come in any memory format; outputs come in the format the
/// kernel preferred, so activations stay blocked between layers.
///
/// Shapes: images NCHW, convolution weights OIHW, linear weights [out, in], features
/// [N, C]; per-channel vectors (batch-norm scale, shift, mean, variance) are
/// float32 [C] in plain format.
public protocol Backend: AnyObject, Sendable {
    /// A short name for logs ("cpu-onednn").
    var name: String { get }
    /// Whether this device has bfloat16 kernels. Without them a bfloat16 tensor can be
    /// stored and converted, but no convolution, matmul or normalisation takes it.
    var hasBFloat16Kernels: Bool { get }

    // MARK: Layout and type

    /// `tensor` in `format` (the same tensor if it is in it already).
    func reorder(_ tensor: Tensor, to format: MemoryFormat) -> Tensor
    /// `tensor` with elements of `dtype`, in the same memory format.
    func convert(_ tensor: Tensor, to dtype: DType) -> Tensor

    // MARK: Convolution

    func convolutionForward(input: Tensor, weight: Tensor, bias: Tensor?, geometry: ConvolutionGeometry) -> Tensor
    /// An evaluation-only forward convolution with its epilogue fused; no backward exists for it.
    func convolutionInference(input: Tensor, weight: Tensor, bias: Tensor?, geometry: ConvolutionGeometry,
                              epilogue: ConvolutionEpilogue) -> Tensor
    /// `weight` stored the way `convolutionInference` on `inputShape` reads it, in `dtype`, so no call reorders it again.
    func preparedInferenceWeight(_ weight: Tensor, inputShape: Shape, hasBias: Bool, geometry: ConvolutionGeometry,
                                 dtype: DType) -> Tensor
    /// The gradient with respect to the input, of shape `inputShape`.
    func convolutionBackwardData(gradientOfOutput: Tensor, weight: Tensor, inputShape: Shape,
                                 geometry: ConvolutionGeometry) -> Tensor
    /// Plain gradients of the weight (OIHW) and bias ([O], when `includeBias`), in `gradientType`.
    func convolutionBackwardWeights(input: Tensor, gradientOfOutput: Tensor, weightShape: Shape,
                                    geometry: ConvolutionGeometry, includeBias: Bool,
                                    gradientType: DType) -> (weight: Tensor, bias: Tensor?)

    // MARK: Batch normalisation (per channel over N, H, W)

    /// Normalises with the batch's statistics; `variance` is the biased batch variance.
    func batchNormTrainingForward(input: Tensor, scale: Tensor, shift: Tensor, epsilon: Float,
                                  fuseReLU: Bool) -> BatchNormTrainingOutput
    /// Normalises with given (running) statistics.
    func batchNormInferenceForward(input: Tensor, scale: Tensor, shift: Tensor, mean: Tensor, variance: Tensor,
                                   epsilon: Float, fuseReLU: Bool) -> Tensor
    /// Gradients of the input, scale and shift of a batch norm.
    ///
    /// With `useGlobalStatistics` the statistics in `saved` are constants (evaluation
    /// mode, e.g. frozen batch norm while fine-tuning); otherwise they are the batch's
    /// own and the gradient flows through them.
    func batchNormBackward(gradientOfOutput: Tensor, input: Tensor, scale: Tensor, shift: Tensor,
                           saved: BatchNormSavedStatistics, epsilon: Float, fuseReLU: Bool,
                           useGlobalStatistics: Bool) -> (input: Tensor, scale: Tensor, shift: Tensor)

    // MARK: Pooling

    func poolingForward(input: Tensor, geometry: PoolingGeometry) -> (output: Tensor, workspace: Workspace?)
    func poolingBackward(gradientOfOutput: Tensor, input: Tensor, geometry: PoolingGeometry,
                         workspace: Workspace?) -> Tensor

    // MARK: Element-wise

    func reluForward(_ input: Tensor) -> Tensor
    /// The gradient of ReLU given its output (the output is positive exactly where the input was).
    func reluBackward(gradientOfOutput: Tensor, output: Tensor) -> Tensor
    /// `lhs + rhs` for equal shapes, in `lhs`'s format.
    func add(_ lhs: Tensor, _ rhs: Tensor) -> Tensor
    /// max(lhs + rhs, 0) in one pass: a residual block's output.
    func addThenReLU(_ lhs: Tensor, _ rhs: Tensor) -> Tensor
    /// `input[n, ...] * scale[n]` for an NCHW or NC input and a float32 [N] scale.
    func multiply(_ input: Tensor, perSampleScale scale: Tensor) -> Tensor
    /// `input * factor`, in `input`'s format.
    func scale(_ input: Tensor, by factor: Float) -> Tensor

    // MARK: Linear (fully connected): y = x Wᵀ + b

    func linearForward(input: Tensor, weight: Tensor, bias: Tensor?) -> Tensor
    func linearBackwardData(gradientOfOutput: Tensor, weight: Tensor) -> Tensor
    func linearBackwardWeights(input: Tensor, gradientOfOutput: Tensor, weightShape: Shape, includeBias: Bool,
                               gradientType: DType) -> (weight: Tensor, bias: Tensor?)
}

/// What a training-mode batch norm returns and its backward needs.
public struct BatchNormTrainingOutput: Sendable {
    public let output: Tensor
    /// float32 [C] batch mean.
    public let mean: Tensor
    /// float32 [C] biased batch variance (divided by N·H·W).
    public let variance: Tensor
    public let workspace: Workspace?

    public init(output: Tensor, mean: Tensor, variance: Tensor, workspace: Workspace?) {
        self.output = output
        self.mean = mean
        self.variance = variance
        self.workspace = workspace
    }

    /// What the backward pass needs of this result: everything but the output.
    public var statistics: BatchNormSavedStatistics {
        BatchNormSavedStatistics(mean: mean, variance: variance, workspace: workspace)
    }
}

/// What a batch norm's backward needs from its forward: the statistics and the fused ReLU's mask, not the output.
///
/// Kept apart from the output so that a pullback holding it does not keep the
/// output alive: after a batch norm without ReLU the output is needed only by the
/// next op, and the autodiff tape frees it as soon as that op no longer needs it.
public struct BatchNormSavedStatistics: Sendable {
    /// float32 [C] mean used to normalise (the batch's, or the running one in evaluation mode).
    public let mean: Tensor
    /// float32 [C] variance used to normalise (biased batch variance, or the running one).
    public let variance: Tensor
    /// The fused ReLU's mask, when the forward fused one.
    public let workspace: Workspace?

    public init(mean: Tensor, variance: Tensor, workspace: Workspace?) {
        self.mean = mean
        self.variance = variance
        self.workspace = workspace
    }
}

/// Bytes a forward kernel saved for its backward; only the backend that wrote them reads them.
public struct Workspace: Sendable {
    public let storage: TensorStorage
    public let format: MemoryFormat

    public init(storage: TensorStorage, format: MemoryFormat) {
        self.storage = storage
        self.format = format
    }
}

extension Backend {
    /// The unfused composition: convolution, then add, then ReLU, as separate kernels.
    public func convolutionInference(input: Tensor, weight: Tensor, bias: Tensor?, geometry: ConvolutionGeometry,
                                     epilogue: ConvolutionEpilogue) -> Tensor {
        var output = convolutionForward(input: input, weight: convert(weight, to: input.dtype), bias: bias,
                                        geometry: geometry)
        if let residual = epilogue.residual { output = add(output, residual) }
        return epilogue.appliesReLU ? reluForward(output) : output
    }

    /// The unfused composition: add, then ReLU.
    public func addThenReLU(_ lhs: Tensor, _ rhs: Tensor) -> Tensor {
        reluForward(add(lhs, rhs))
    }

    /// The weight converted to `dtype`, layout unchanged.
    public func preparedInferenceWeight(_ weight: Tensor, inputShape: Shape, hasBias: Bool,
                                        geometry: ConvolutionGeometry, dtype: DType) -> Tensor {
        convert(weight, to: dtype)
    }
}
