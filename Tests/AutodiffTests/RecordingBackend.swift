import CPUBackend
import Synchronization
import TensorCore
import Testing

/// A backend that forwards every kernel to a CPU backend and records which convolution, linear and backward kernels ran.
///
/// Why: "the input image's gradient is never computed" and "a frozen layer never runs
/// backward-weights" are claims about kernels *not* running, which no gradient value
/// can show. Tests run in parallel on this one recorder, so a test looks only for calls
/// on shapes that no other test uses. All test targets share one process, and another
/// target may install its own backend with `Compute.use` at any moment; an op keeps the
/// backend its forward pass ran on for its pullback, so `recording(forwardOf:_:)`
/// retries until the forward pass it cares about ran here.
final class RecordingBackend: Backend {
    /// One backward kernel call: which kernel, and the shapes that identify it (input first).
    struct Call: Hashable, Sendable {
        enum Kernel: Hashable, Sendable {
            case convolutionForward, convolutionBackwardData, convolutionBackwardWeights
            case linearForward, linearBackwardData, linearBackwardWeights
            case batchNormBackward, poolingBackward
        }

        let kernel: Kernel
        let shapes: [Shape]
    }

    let base: CPUBackend
    private let calls = Mutex<[Call]>([])

    init(wrapping base: CPUBackend) {
        self.base = base
    }

    /// How many times `kernel` ran with `shape` among its identifying shapes.
    func count(of kernel: Call.Kernel, involving shape: Shape) -> Int {
        calls.withLock { $0.filter { $0.kernel == kernel && $0.shapes.contains(shape) }.count }
    }

    /// Runs `body` with this recorder installed, again if the `kernel` forward pass on `shape` ran elsewhere.
    ///
    /// Returns nil (after recording an issue) if it never ran here in ten tries.
    func recording<Result>(forwardOf kernel: Call.Kernel, involving shape: Shape,
                           sourceLocation: SourceLocation = #_sourceLocation, _ body: () -> Result) -> Result? {
        for _ in 0..<10 {
            let before = count(of: kernel, involving: shape)
            Compute.use(self)
            let result = body()
            if count(of: kernel, involving: shape) > before { return result }
        }
        Issue.record("the \(kernel) pass on \(shape) never ran on the recording backend", sourceLocation: sourceLocation)
        return nil
    }

    private func record(_ kernel: Call.Kernel, _ shapes: Shape...) {
        calls.withLock { $0.append(Call(kernel: kernel, shapes: shapes)) }
    }

    var name: String { "recording " + base.name }
    var hasBFloat16Kernels: Bool { base.hasBFloat16Kernels }

    func reorder(_ tensor: Tensor, to format: MemoryFormat) -> Tensor { base.reorder(tensor, to: format) }
    func convert(_ tensor: Tensor, to dtype: DType) -> Tensor { base.convert(tensor, to: dtype) }

    func convolutionForward(input: Tensor, weight: Tensor, bias: Tensor?, geometry: ConvolutionGeometry) -> Tensor {
        record(.convolutionForward, input.shape, weight.shape)
        return base.convolutionForward(input: input, weight: weight, bias: bias, geometry: geometry)
    }

    func convolutionBackwardData(gradientOfOutput: Tensor, weight: Tensor, inputShape: Shape,
                                 geometry: ConvolutionGeometry) -> Tensor {
        record(.convolutionBackwardData, inputShape, weight.shape)
        return base.convolutionBackwardData(gradientOfOutput: gradientOfOutput, weight: weight, inputShape: inputShape,
                                            geometry: geometry)
    }

    func convolutionBackwardWeights(input: Tensor, gradientOfOutput: Tensor, weightShape: Shape,
                                    geometry: ConvolutionGeometry, includeBias: Bool,
                                    gradientType: DType) -> (weight: Tensor, bias: Tensor?) {
        record(.convolutionBackwardWeights, input.shape, weightShape)
        return base.convolutionBackwardWeights(input: input, gradientOfOutput: gradientOfOutput, weightShape: weightShape,
                                               geometry: geometry, includeBias: includeBias, gradientType: gradientType)
    }

    func batchNormTrainingForward(input: Tensor, scale: Tensor, shift: Tensor, epsilon: Float,
                                  fuseReLU: Bool) -> BatchNormTrainingOutput {
        base.batchNormTrainingForward(input: input, scale: scale, shift: shift, epsilon: epsilon, fuseReLU: fuseReLU)
    }

    func batchNormInferenceForward(input: Tensor, scale: Tensor, shift: Tensor, mean: Tensor, variance: Tensor,
                                   epsilon: Float, fuseReLU: Bool) -> Tensor {
        base.batchNormInferenceForward(input: input, scale: scale, shift: shift, mean: mean, variance: variance,
                                       epsilon: epsilon, fuseReLU: fuseReLU)
    }

    func batchNormBackward(gradientOfOutput: Tensor, input: Tensor, scale: Tensor, shift: Tensor,
                           saved: BatchNormSavedStatistics, epsilon: Float, fuseReLU: Bool,
                           useGlobalStatistics: Bool) -> (input: Tensor, scale: Tensor, shift: Tensor) {
        record(.batchNormBackward, input.shape)
        return base.batchNormBackward(gradientOfOutput: gradientOfOutput, input: input, scale: scale, shift: shift,
                                      saved: saved, epsilon: epsilon, fuseReLU: fuseReLU,
                                      useGlobalStatistics: useGlobalStatistics)
    }

    func poolingForward(input: Tensor, geometry: PoolingGeometry) -> (output: Tensor, workspace: Workspace?) {
        base.poolingForward(input: input, geometry: geometry)
    }

    func poolingBackward(gradientOfOutput: Tensor, input: Tensor, geometry: PoolingGeometry,
                         workspace: Workspace?) -> Tensor {
        record(.poolingBackward, input.shape)
        return base.poolingBackward(gradientOfOutput: gradientOfOutput, input: input, geometry: geometry,
                                    workspace: workspace)
    }

    func reluForward(_ input: Tensor) -> Tensor { base.reluForward(input) }
    func reluBackward(gradientOfOutput: Tensor, output: Tensor) -> Tensor {
        base.reluBackward(gradientOfOutput: gradientOfOutput, output: output)
    }
    func add(_ lhs: Tensor, _ rhs: Tensor) -> Tensor { base.add(lhs, rhs) }
    // The fused kernels too: the protocol's unfused defaults round differently, and a test of another target that
    // evaluates while this recorder is installed would see other digits than on the CPU backend it installed.
    func addThenReLU(_ lhs: Tensor, _ rhs: Tensor) -> Tensor { base.addThenReLU(lhs, rhs) }
    func convolutionInference(input: Tensor, weight: Tensor, bias: Tensor?, geometry: ConvolutionGeometry,
                              epilogue: ConvolutionEpilogue) -> Tensor {
        base.convolutionInference(input: input, weight: weight, bias: bias, geometry: geometry, epilogue: epilogue)
    }
    func preparedInferenceWeight(_ weight: Tensor, inputShape: Shape, hasBias: Bool, geometry: ConvolutionGeometry,
                                 dtype: DType) -> Tensor {
        base.preparedInferenceWeight(weight, inputShape: inputShape, hasBias: hasBias, geometry: geometry, dtype: dtype)
    }
    func multiply(_ input: Tensor, perSampleScale scale: Tensor) -> Tensor { base.multiply(input, perSampleScale: scale) }
    func scale(_ input: Tensor, by factor: Float) -> Tensor { base.scale(input, by: factor) }

    func linearForward(input: Tensor, weight: Tensor, bias: Tensor?) -> Tensor {
        record(.linearForward, input.shape, weight.shape)
        return base.linearForward(input: input, weight: weight, bias: bias)
    }

    func linearBackwardData(gradientOfOutput: Tensor, weight: Tensor) -> Tensor {
        record(.linearBackwardData, gradientOfOutput.shape, weight.shape)
        return base.linearBackwardData(gradientOfOutput: gradientOfOutput, weight: weight)
    }

    func linearBackwardWeights(input: Tensor, gradientOfOutput: Tensor, weightShape: Shape, includeBias: Bool,
                               gradientType: DType) -> (weight: Tensor, bias: Tensor?) {
        record(.linearBackwardWeights, input.shape, weightShape)
        return base.linearBackwardWeights(input: input, gradientOfOutput: gradientOfOutput, weightShape: weightShape,
                                          includeBias: includeBias, gradientType: gradientType)
    }
}
