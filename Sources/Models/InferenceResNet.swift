import Autodiff
import Layers
import TensorCore

/// A trained batch-norm ResNet compiled for evaluation: every norm folded into its convolution, ReLUs and residual adds fused.
///
/// Shapes: images [N, C, H, W] f32 → logits [N, classes] f32, the same function as
/// the source model in evaluation mode (running statistics, no drop path or
/// dropout). Folding: with s = γ / √(σ² + ε), the convolution's weight becomes
/// W·s per output channel and its bias β − μ·s (+ b·s), computed in Float64 and
/// stored as f32; with bf16 precision the folded weights are rounded to bf16 once.
/// Each convolution then runs as one oneDNN inference primitive with its ReLU
/// and the block's residual add as post-ops, and its weight is kept in the
/// primitive's layout per input shape, so a forward pass reorders no weight.
/// A snapshot: later changes to the source model's weights are not seen.
public final class InferenceResNet {
    /// Why a model cannot be folded.
    public enum FoldingError: Error, CustomStringConvertible {
        case groupNormalization

        public var description: String {
            "group normalisation computes statistics per image and cannot fold into a convolution; "
                + "evaluate the model itself"
        }
    }

    /// The precision the convolutions run in.
    public let dtype: DType
    let stem: [FoldedConvolution]
    let stemHasMaxPool: Bool
    let blocks: [FoldedBlock]
    let classifierWeight: Tensor
    let classifierBias: Tensor?

    /// Folds `model`'s current weights and running statistics.
    public init(_ model: ResNet, dtype: DType = .float32) throws(FoldingError) {
        self.dtype = dtype
        stem = try zip(model.stem.convolutions, model.stem.normalizations).map { convolution, normalization throws(FoldingError) in
            try FoldedConvolution(convolution, normalization)
        }
        stemHasMaxPool = model.stem.hasMaxPool
        blocks = try model.blocks.map { block throws(FoldingError) in try FoldedBlock(block) }
        classifierWeight = Compute.backend.reorder(model.fc.weight.value, to: .plain)
        classifierBias = model.fc.bias.map { Compute.backend.reorder($0.value, to: .plain) }
    }

    /// The logits of `images` (f32, any layout).
    public func callAsFunction(_ images: Tensor) -> Tensor {
        withoutGradients {
            var features = Compute.backend.convert(images, to: dtype)
            for convolution in stem { features = convolution(features, epilogue: .relu, dtype: dtype) }
            if stemHasMaxPool { features = maxPool2d(Variable(features), kernel: 3, stride: 2, padding: 1).value }
            for block in blocks { features = block(features, dtype: dtype) }
            let pooled = globalAveragePool(Variable(Compute.backend.convert(features, to: .float32)))
            return linear(pooled, weight: Variable(classifierWeight), bias: classifierBias.map { Variable($0) }).value
        }
    }
}

/// One residual block, folded: the branch's convolutions and the shortcut's, if it has one.
struct FoldedBlock {
    let branch: [FoldedConvolution]
    let shortcut: FoldedConvolution?
    /// The stride of ResNet-D's 2x2 average pool before the shortcut convolution (1: no pool).
    let shortcutPoolStride: Int

    init(_ block: any ResidualBlock) throws(InferenceResNet.FoldingError) {
        branch = try zip(block.branchConvolutions, block.branchNormalizations).map {
            convolution, normalization throws(InferenceResNet.FoldingError) in
            try FoldedConvolution(convolution, normalization)
        }
        if let downsample = block.downsample {
            shortcut = try FoldedConvolution(downsample.convolution, downsample.normalization)
            shortcutPoolStride = downsample.kind == .averagePool ? downsample.stride : 1
        } else {
            shortcut = nil
            shortcutPoolStride = 1
        }
    }

    /// ReLU after every branch convolution but the last, which adds the shortcut and then applies ReLU.
    func callAsFunction(_ input: Tensor, dtype: DType) -> Tensor {
        var residual = input
        if let shortcut {
            var pooled = input
            if shortcutPoolStride > 1 {
                pooled = averagePool2d(Variable(input), kernel: 2, stride: shortcutPoolStride, ceilMode: true,
                                       countIncludePadding: false).value
            }
            residual = shortcut(pooled, epilogue: .none, dtype: dtype)
        }
        var features = input
        for convolution in branch.dropLast() { features = convolution(features, epilogue: .relu, dtype: dtype) }
        // The residual (the block's input or the shortcut's output) is read by nothing after this.
        return branch.last!(features, epilogue: .addThenReLU(residual: residual, overwritingIt: true), dtype: dtype)
    }
}

/// A convolution with the batch norm after it folded in, and its weight kept per input shape in the kernel's layout.
final class FoldedConvolution {
    /// OIHW f32, plain: the convolution's weight scaled per output channel.
    let weight: Tensor
    /// [O] f32.
    let bias: Tensor
    let geometry: ConvolutionGeometry
    private var prepared: [[Int]: Tensor] = [:]

    init(_ convolution: Conv2D, _ normalization: NormalizationLayer) throws(InferenceResNet.FoldingError) {
        guard case .batch(let norm) = normalization else { throw .groupNormalization }
        let backend = Compute.backend
        let weights = backend.reorder(convolution.weight.value, to: .plain).scalars
        let gamma = backend.reorder(norm.weight.value, to: .plain).scalars
        let beta = backend.reorder(norm.bias.value, to: .plain).scalars
        let mean = backend.reorder(norm.runningMean.tensor, to: .plain).scalars
        let variance = backend.reorder(norm.runningVariance.tensor, to: .plain).scalars
        let convolutionBias = convolution.bias.map { backend.reorder($0.value, to: .plain).scalars }
        let outputs = convolution.weight.shape[0]
        let perOutput = weights.count / outputs
        var folded = [Float](repeating: 0, count: weights.count)
        var shifts = [Float](repeating: 0, count: outputs)
        for output in 0..<outputs {
            let scale = Double(gamma[output]) / (Double(variance[output]) + Double(norm.epsilon)).squareRoot()
            for index in (output * perOutput)..<((output + 1) * perOutput) {
                folded[index] = Float(Double(weights[index]) * scale)
            }
            let original = Double(convolutionBias?[output] ?? 0)
            shifts[output] = Float(Double(beta[output]) + (original - Double(mean[output])) * scale)
        }
        weight = Tensor(shape: convolution.weight.shape, scalars: folded)
        bias = Tensor(shape: [outputs], scalars: shifts)
        geometry = convolution.geometry
    }

    func callAsFunction(_ input: Tensor, epilogue: ConvolutionEpilogue, dtype: DType) -> Tensor {
        let backend = Compute.backend
        let key = input.shape.dimensions + [dtype == .bfloat16 ? 1 : 0]
        let preparedWeight = prepared[key] ?? {
            let made = backend.preparedInferenceWeight(weight, inputShape: input.shape, hasBias: true,
                                                       geometry: geometry, dtype: dtype)
            prepared[key] = made
            return made
        }()
        return backend.convolutionInference(input: input, weight: preparedWeight, bias: bias, geometry: geometry,
                                            epilogue: epilogue)
    }
}
