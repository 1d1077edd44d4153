import Autodiff
import Models
import Optimizers
import Recipes
import TensorCore

/// One optimisation step: forward, loss, backward, update — the step `hone train` repeats and `hone bench train` times.
///
/// With bf16 precision the images are converted once at the input; convolutions and
/// matmuls then run in bf16 while the master weights, batch-norm statistics and the
/// loss stay f32. Shared so the benchmark measures exactly what training does.
public final class TrainingStep {
    public let model: ResNet
    public let optimizer: any Optimizer
    public let precision: Recipe.Run.Precision
    public let objective: any TrainingObjective

    public init(model: ResNet, optimizer: any Optimizer, precision: Recipe.Run.Precision,
                objective: any TrainingObjective) {
        self.model = model
        self.optimizer = optimizer
        self.precision = precision
        self.objective = objective
    }

    /// Runs the step on `batch` at `learningRate`; returns the batch's mean loss.
    @discardableResult
    public func callAsFunction(_ batch: TrainingBatch, learningRate: Double) -> Double {
        var input = Variable(batch.images)
        if precision == .bf16 { input = convert(input, to: .bfloat16) }
        let loss = objective.loss(logits: model(input), batch: batch)
        optimizer.learningRate = Float(learningRate)
        optimizer.zeroGradients()
        loss.backward()
        optimizer.step()
        return Double(loss.value.scalars[0])
    }
}
