import Autodiff
import Layers
import Models
import Optimizers
import Recipes
import TensorCore

/// One optimisation step: forward, loss, backward, update — the step `hone train` repeats and `hone bench train` times.
///
/// With `accumulationSteps` N the batch of B images runs as N consecutive micro-batches
/// of B/N (soft targets split with their rows), each forward and backward on its loss
/// divided by N, so the gradients add up to the whole batch's mean; batch norm sees
/// each micro-batch on its own, as in timm. Then the accumulated f32 gradients are
/// clipped and the optimizer takes one step. With bf16 precision (where the backend
/// has bfloat16 kernels: `computeType`) the images are converted once at the input;
/// convolutions and matmuls then run in bf16 while the master weights, batch-norm
/// statistics and the loss stay f32. Shared so the
/// benchmark measures exactly what training does. In a data-parallel job the last
/// micro-batch's backward starts the gradient all-reduce bucket by bucket, and the
/// averaged gradients are what clipping and the optimizer see (PyTorch DDP's
/// `no_sync` for the micro-batches before it).
public final class TrainingStep {
    public let model: ResNet
    public let optimizer: any Optimizer
    /// The recipe's precision as written; its `computeType` is what the activations are computed in.
    public let precision: Recipe.Run.Precision
    public let objective: any TrainingObjective
    /// Micro-batches per optimizer step; it must divide every batch's size.
    public let accumulationSteps: Int
    /// What limits the accumulated gradients before the update; nil leaves them alone.
    public let clipping: GradientClipping?
    /// The parameters clipping sees: all the optimizer's, less the classifier for AGC.
    private let clippedParameters: [(path: String, parameter: Parameter)]
    /// With several data-parallel ranks: averages the gradients over them, overlapped with the last backward pass.
    var gradientAveraging: GradientAveraging?

    /// A step over `model`; `clipping` in adaptive mode skips the classifier (`fc`), as timm's train script does.
    public init(model: ResNet, optimizer: any Optimizer, precision: Recipe.Run.Precision,
                objective: any TrainingObjective, accumulationSteps: Int = 1, clipping: GradientClipping? = nil) {
        precondition(accumulationSteps >= 1, "a step accumulates over one or more micro-batches")
        self.model = model
        self.optimizer = optimizer
        self.precision = precision
        self.objective = objective
        self.accumulationSteps = accumulationSteps
        self.clipping = clipping
        if clipping?.mode == .adaptive {
            let head = Set(model.fc.parameters.map(ObjectIdentifier.init))
            clippedParameters = optimizer.parameters.filter { !head.contains(ObjectIdentifier($0.parameter)) }
        } else {
            clippedParameters = optimizer.parameters
        }
    }

    /// The clipping a recipe's `gradient` section asks for; nil when `clip` is 0.
    public static func clipping(_ section: Recipe.Gradient) -> GradientClipping? {
        guard section.clip > 0 else { return nil }
        let mode: GradientClipping.Mode = switch section.clipMode {
        case .norm: .norm
        case .value: .value
        case .agc: .adaptive
        }
        return GradientClipping(mode: mode, threshold: section.clip)
    }

    /// Runs the step on `batch` at `learningRate`; returns the batch's mean loss.
    @discardableResult
    public func callAsFunction(_ batch: TrainingBatch, learningRate: Double) -> Double {
        precondition(batch.count % accumulationSteps == 0,
                     "a batch of \(batch.count) does not split into \(accumulationSteps) micro-batches")
        optimizer.learningRate = Float(learningRate)
        optimizer.zeroGradients()
        var lossSum = 0.0
        gradientAveraging?.beginStep()
        for part in 0..<accumulationSteps {
            let microBatch = accumulationSteps == 1
                ? batch : Self.microBatch(of: batch, part: part, of: accumulationSteps)
            let input = convert(Variable(microBatch.images), to: precision.computeType)
            let loss = objective.loss(logits: model(input), batch: microBatch)
            lossSum += Double(loss.value.scalars[0])
            // Seeding backward with 1/N differentiates loss/N without another op on the scalar.
            let seed = accumulationSteps == 1 ? nil : Tensor(repeating: 1 / Float(accumulationSteps), shape: loss.shape)
            if let gradientAveraging, part == accumulationSteps - 1 {
                loss.backward(seed: seed, leafFinished: gradientAveraging.leafFinished)
            } else {
                loss.backward(seed: seed)
            }
        }
        gradientAveraging?.finish()
        clipping?.apply(to: clippedParameters)
        optimizer.step()
        return lossSum / Double(accumulationSteps)
    }

    /// Rows `part·B/parts ..< (part + 1)·B/parts` of `batch`: images, labels and soft targets.
    static func microBatch(of batch: TrainingBatch, part: Int, of parts: Int) -> TrainingBatch {
        let size = batch.count / parts
        let rows = part * size..<(part + 1) * size
        let images = batch.images
        precondition(images.format.isPlain && images.dtype == .float32, "training images are plain f32")
        let bytesPerImage = images.elementCount / batch.count * MemoryLayout<Float>.stride
        let slice = Tensor(zeros: Shape([size] + images.shape.dimensions.dropFirst()))
        slice.storage.pointer.copyMemory(from: images.storage.pointer + rows.lowerBound * bytesPerImage,
                                         byteCount: size * bytesPerImage)
        let softTargets = batch.softTargets.map { targets in
            let classes = targets.count / batch.count
            return Array(targets[rows.lowerBound * classes..<rows.upperBound * classes])
        }
        return TrainingBatch(images: slice, labels: Array(batch.labels[rows]), softTargets: softTargets)
    }
}
