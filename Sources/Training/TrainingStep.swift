import Autodiff
import Models
import Optimizers
import Recipes
import TensorCore

/// One optimisation step: forward, loss, backward, SGD update — the step `hone train` repeats and `hone bench train` times.
///
/// Shapes: `images` is `[N, C, H, W]` f32 (plain NCHW, as the loader makes it),
/// `labels` holds N class indices. With bf16 precision the images are converted
/// once at the input; convolutions and matmuls then run in bf16 while the master
/// weights, batch-norm statistics and the loss stay f32. Shared so the benchmark
/// measures exactly what training does.
public final class TrainingStep {
    public let model: ResNet
    public let optimizer: SGD
    public let precision: Recipe.Run.Precision
    public let labelSmoothing: Float

    public init(model: ResNet, optimizer: SGD, precision: Recipe.Run.Precision, labelSmoothing: Float) {
        self.model = model
        self.optimizer = optimizer
        self.precision = precision
        self.labelSmoothing = labelSmoothing
    }

    /// Runs the step at `learningRate`; returns the batch's mean loss.
    ///
    /// With `softTargets` (`N × classes` probabilities from mixup/CutMix, label
    /// smoothing already folded in) the loss is soft-target cross-entropy and
    /// `labels` is not read; otherwise it is cross-entropy on the labels with the
    /// step's label smoothing.
    @discardableResult
    public func callAsFunction(images: Tensor, labels: [Int32], softTargets: [Float]? = nil,
                               learningRate: Double) -> Double {
        var input = Variable(images)
        if precision == .bf16 { input = convert(input, to: .bfloat16) }
        let logits = model(input)
        let loss = if let softTargets {
            softmaxCrossEntropy(logits: logits, targets: Tensor(shape: logits.shape, scalars: softTargets))
        } else {
            softmaxCrossEntropy(logits: logits, labels: labels, labelSmoothing: labelSmoothing)
        }
        optimizer.learningRate = Float(learningRate)
        optimizer.zeroGradients()
        loss.backward()
        optimizer.step()
        return Double(loss.value.scalars[0])
    }
}
