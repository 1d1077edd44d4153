import Foundation

extension Reference {
    /// The log-softmax of each row: `x[n, c] − log Σ_k exp(x[n, k])`, computed stably.
    ///
    /// Shapes: [N, C] → [N, C]. Subtracts each row's maximum first, so logits in the
    /// hundreds do not overflow.
    public static func logSoftmax(_ logits: ReferenceTensor) -> ReferenceTensor {
        precondition(logits.rank == 2 && logits.shape[1] > 0, "log-softmax needs [N, C] logits, got \(logits.shape)")
        let (batch, classes) = (logits.shape[0], logits.shape[1])
        var output = logits
        for sample in 0..<batch {
            let row = logits.values[(sample * classes)..<((sample + 1) * classes)]
            let maximum = row.max()!
            let logNormalizer = maximum + log(row.reduce(0) { $0 + exp($1 - maximum) })
            for index in row.indices { output.values[index] = logits.values[index] - logNormalizer }
        }
        return output
    }

    /// Mean softmax cross-entropy against hard labels with label smoothing, PyTorch's
    /// `F.cross_entropy(logits, labels, label_smoothing: ε)`.
    ///
    /// Shapes: `logits` [N, C], `labels` N class indices in 0..<C. The target row is
    /// `(1 − ε)·onehot(label) + ε / C` (the smoothing mass is spread over all C classes,
    /// the true one included), the per-sample loss is `−Σ_c target[c] · logSoftmax[c]`,
    /// and the result is the mean over the batch.
    public static func softmaxCrossEntropy(logits: ReferenceTensor, labels: [Int],
                                           labelSmoothing: Double = 0) -> Double {
        precondition(logits.rank == 2 && labels.count == logits.shape[0],
                     "\(labels.count) labels for logits \(logits.shape)")
        let classes = logits.shape[1]
        precondition(labels.allSatisfy { (0..<classes).contains($0) }, "label outside 0..<\(classes) in \(labels)")
        var targets = ReferenceTensor(zeros: logits.shape)
        for (sample, label) in labels.enumerated() { targets.values[sample * classes + label] = 1 }
        return softmaxCrossEntropy(logits: logits, targets: targets, labelSmoothing: labelSmoothing)
    }

    /// Mean softmax cross-entropy against soft targets (class probabilities), PyTorch's
    /// `F.cross_entropy(logits, targets, label_smoothing: ε)` with a probability target.
    ///
    /// Shapes: `logits` and `targets` [N, C]. Smoothing maps each target row to
    /// `(1 − ε)·target + ε / C`; the per-sample loss is `−Σ_c target[c] · logSoftmax[c]`
    /// and the result is the mean over the N samples (not over N·C). Mixup and CutMix
    /// train against such targets.
    public static func softmaxCrossEntropy(logits: ReferenceTensor, targets: ReferenceTensor,
                                           labelSmoothing: Double = 0) -> Double {
        precondition(logits.shape == targets.shape, "targets \(targets.shape) for logits \(logits.shape)")
        precondition(labelSmoothing >= 0 && labelSmoothing <= 1, "label smoothing \(labelSmoothing) outside [0, 1]")
        let (batch, classes) = (logits.shape[0], logits.shape[1])
        let logProbabilities = logSoftmax(logits)
        var total = 0.0
        for index in 0..<(batch * classes) {
            let target = (1 - labelSmoothing) * targets.values[index] + labelSmoothing / Double(classes)
            total -= target * logProbabilities.values[index]
        }
        return total / Double(batch)
    }

    /// Mean binary cross-entropy on logits, PyTorch's `F.binary_cross_entropy_with_logits`.
    ///
    /// Shapes: `logits` and `targets` the same, any shape; targets in [0, 1]. Per element,
    /// `−t·log σ(x) − (1 − t)·log(1 − σ(x))`, evaluated as `max(x, 0) − x·t + log(1 + e^(−|x|))`
    /// so a logit of ±100 neither overflows nor loses the loss to rounding; the result is
    /// the mean over all elements.
    public static func binaryCrossEntropyWithLogits(logits: ReferenceTensor, targets: ReferenceTensor) -> Double {
        precondition(logits.shape == targets.shape, "targets \(targets.shape) for logits \(logits.shape)")
        precondition(logits.elementCount > 0, "binary cross-entropy of no elements")
        let total = zip(logits.values, targets.values).reduce(0.0) { total, pair in
            let (logit, target) = pair
            return total + max(logit, 0) - logit * target + log1p(exp(-abs(logit)))
        }
        return total / Double(logits.elementCount)
    }

    /// Mean over the batch of KL(softmax(teacher / T) ‖ softmax(logits / T)), PyTorch's
    /// `F.kl_div(F.log_softmax(logits / T), F.log_softmax(teacher / T), reduction: "batchmean", log_target: true)`.
    ///
    /// Shapes: `logits` and `teacherLogits` [N, C], `temperature` T > 0. Per row,
    /// `Σ_c p[c] · (log p[c] − log q[c])` with p the teacher's tempered softmax and q the
    /// student's, summed over classes and averaged over the N rows; zero exactly when the
    /// two rows agree up to a constant shift.
    public static func kullbackLeiblerDivergence(logits: ReferenceTensor, teacherLogits: ReferenceTensor,
                                                 temperature: Double) -> Double {
        precondition(logits.shape == teacherLogits.shape, "teacher logits \(teacherLogits.shape) for logits \(logits.shape)")
        precondition(temperature > 0, "temperature \(temperature) is not positive")
        let student = logSoftmax(ReferenceTensor(shape: logits.shape, values: logits.values.map { $0 / temperature }))
        let teacher = logSoftmax(ReferenceTensor(shape: teacherLogits.shape,
                                                 values: teacherLogits.values.map { $0 / temperature }))
        var total = 0.0
        for index in student.values.indices {
            total += exp(teacher.values[index]) * (teacher.values[index] - student.values[index])
        }
        return total / Double(logits.shape[0])
    }
}
