import Autodiff
import DataPipeline
import Layers
import Models
import Recipes
import TensorCore

/// Evaluates `model` on every image of `loader` once, batch norm on its running statistics, no gradients.
///
/// The loss is plain cross-entropy (no label smoothing), as timm's validation reports it.
/// A batch-norm ResNet is evaluated through an `InferenceResNet` (norms folded into
/// the convolutions, ReLU and residual adds fused), the same function computed faster.
public func evaluate(model: some Layer & Classifier, loader: any EpochBatchSource, classes: Int,
                     precision: Recipe.Run.Precision) throws -> EvaluationMetrics {
    let wasTraining = model.isTraining
    model.setTraining(false)
    defer { model.setTraining(wasTraining) }
    var metrics = EvaluationMetrics(classes: classes)
    let folded = (model as? ResNet).flatMap { try? InferenceResNet($0, dtype: precision.computeType) }
    try withoutGradients {
        var stream = loader.stream(epoch: 0, startingAt: 0)
        while let batch = try stream.next() {
            let images = Tensor(shape: [batch.count, batch.channels, batch.height, batch.width], scalars: batch.pixels)
            let logits: Variable
            if let folded {
                logits = Variable(folded(images))
            } else {
                let input = convert(Variable(images), to: precision.computeType)
                logits = convert(model(input), to: .float32)
            }
            let loss = softmaxCrossEntropy(logits: logits, labels: batch.labels)
            metrics.add(logits: Compute.backend.reorder(logits.value, to: .plain).scalars, labels: batch.labels,
                        meanLoss: Double(loss.value.scalars[0]))
        }
    }
    return metrics
}

/// A model that maps an image batch to logits and has a training/evaluation mode.
public protocol Classifier: ModeDependentLayer {
    func callAsFunction(_ input: Variable) -> Variable
}

extension ResNet: Classifier {}
