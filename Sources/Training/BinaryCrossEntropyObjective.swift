import Autodiff
import TensorCore

/// Binary cross-entropy on every logit, as "ResNet strikes back" trains: timm's `BinaryCrossEntropy`.
///
/// Shapes: logits [N, classes] f32 → a scalar, the mean over all N·classes elements.
/// Hard labels become one-hot rows smoothed to `ε / classes` off and `1 − ε + ε / classes`
/// on; soft targets (mixup/CutMix, smoothing already folded in by the loader) are used as
/// they are. With a threshold, each target becomes 1 above it and 0 otherwise, so mixed
/// images count as fully belonging to both classes (the paper's A1–A3 used 0.2). Unlike
/// timm's train.py, which quietly falls back to softmax cross-entropy when `--bce-loss` comes
/// with neither smoothing nor mixup, this is binary cross-entropy in every case.
public struct BinaryCrossEntropyObjective: TrainingObjective {
    /// Label smoothing ε for hard labels, in [0, 1); soft targets carry their own.
    public var labelSmoothing: Float
    /// Targets above this become 1, the rest 0; nil keeps them as they are.
    public var targetThreshold: Float?

    public init(labelSmoothing: Float = 0, targetThreshold: Float? = nil) {
        precondition((0..<1).contains(labelSmoothing), "label smoothing must be in [0, 1), got \(labelSmoothing)")
        self.labelSmoothing = labelSmoothing
        self.targetThreshold = targetThreshold
    }

    public func loss(logits: Variable, batch: TrainingBatch) -> Variable {
        var targets = batch.softTargets ?? smoothedOneHot(labels: batch.labels, classes: logits.shape[1])
        precondition(targets.count == logits.shape.elementCount,
                     "\(targets.count) targets for logits of shape \(logits.shape)")
        if let targetThreshold {
            targets = targets.map { $0 > targetThreshold ? 1 : 0 }
        }
        return binaryCrossEntropyWithLogits(logits: logits, targets: Tensor(shape: logits.shape, scalars: targets))
    }

    /// Rows of `ε / classes` with `1 − ε + ε / classes` at each label: `labels.count × classes`.
    func smoothedOneHot(labels: [Int32], classes: Int) -> [Float] {
        let off = Double(labelSmoothing) / Double(classes)
        let on = 1 - Double(labelSmoothing) + off
        var targets = [Float](repeating: Float(off), count: labels.count * classes)
        for (row, label) in labels.enumerated() {
            precondition((0..<Int32(classes)).contains(label), "label \(label) outside 0..<\(classes)")
            targets[row * classes + Int(label)] = Float(on)
        }
        return targets
    }
}
