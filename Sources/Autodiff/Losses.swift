import Foundation
import TensorCore

/// Mean softmax cross-entropy of [N, C] logits against hard labels, with optional label smoothing.
///
/// Label smoothing ε uses PyTorch's target `(1 − ε)·onehot + ε / C` (the ε/C share
/// goes to every class, the true one included). Returns a scalar.
public func softmaxCrossEntropy(logits: Variable, labels: [Int32], labelSmoothing: Float = 0) -> Variable {
    let classes = logits.shape[1]
    precondition(labels.count == logits.shape[0], "\(labels.count) labels for \(logits.shape[0]) logits")
    precondition((0..<1).contains(labelSmoothing) || labelSmoothing == 0, "label smoothing must be in [0, 1)")
    var targets = [Float](repeating: labelSmoothing / Float(classes), count: labels.count * classes)
    for (row, label) in labels.enumerated() {
        precondition((0..<Int32(classes)).contains(label), "label \(label) outside 0..<\(classes)")
        targets[row * classes + Int(label)] += 1 - labelSmoothing
    }
    return softmaxCrossEntropy(logits: logits, targets: Tensor(shape: logits.shape, scalars: targets))
}

/// Mean softmax cross-entropy of [N, C] logits against [N, C] probability targets (mixup, CutMix).
///
/// Per row, −Σ t·log softmax(z); the gradient is softmax(z)·Σt − t, divided by N.
public func softmaxCrossEntropy(logits: Variable, targets: Tensor) -> Variable {
    precondition(logits.shape.rank == 2 && targets.shape == logits.shape,
                 "cross-entropy needs [N, C] logits and targets, got \(logits.shape) and \(targets.shape)")
    let rows = logits.shape[0]
    let classes = logits.shape[1]
    let values = plainScalars(logits.value)
    let targetValues = targets.scalars
    var probabilities = [Float](repeating: 0, count: values.count)
    var total = 0.0
    for row in 0..<rows {
        let offset = row * classes
        var largest = -Float.infinity
        for column in 0..<classes { largest = max(largest, values[offset + column]) }
        var sum = 0.0
        for column in 0..<classes { sum += Double(expf(values[offset + column] - largest)) }
        let logSum = Double(largest) + log(sum)
        for column in 0..<classes {
            let logProbability = Double(values[offset + column]) - logSum
            probabilities[offset + column] = Float(exp(logProbability))
            total -= Double(targetValues[offset + column]) * logProbability
        }
    }
    let loss = Tensor(shape: [], scalars: [Float(total / Double(rows))])
    let logitsType = logits.dtype
    return Variable.result(loss, inputs: [logits]) { gradient in
        let scale = gradient.scalars[0] / Float(rows)
        var result = [Float](repeating: 0, count: values.count)
        for row in 0..<rows {
            let offset = row * classes
            var targetSum: Float = 0
            for column in 0..<classes { targetSum += targetValues[offset + column] }
            for column in 0..<classes {
                result[offset + column] = scale * (probabilities[offset + column] * targetSum - targetValues[offset + column])
            }
        }
        return [Tensor(shape: [rows, classes], scalars: result, dtype: logitsType)]
    }
}

/// Mean binary cross-entropy with logits over all elements, against targets in [0, 1] of the same shape.
///
/// Each element contributes max(z, 0) − z·t + log(1 + e^−|z|) (stable for large |z|);
/// the gradient is (sigmoid(z) − t) / count. Used by "ResNet strikes back" with
/// mixup/CutMix targets.
public func binaryCrossEntropyWithLogits(logits: Variable, targets: Tensor) -> Variable {
    precondition(targets.shape == logits.shape, "BCE targets \(targets.shape) for logits \(logits.shape)")
    let values = plainScalars(logits.value)
    let targetValues = targets.scalars
    var total = 0.0
    for index in values.indices {
        let z = Double(values[index])
        total += max(z, 0) - z * Double(targetValues[index]) + log1p(exp(-abs(z)))
    }
    let count = values.count
    let loss = Tensor(shape: [], scalars: [Float(total / Double(count))])
    let shape = logits.shape
    let logitsType = logits.dtype
    return Variable.result(loss, inputs: [logits]) { gradient in
        let scale = gradient.scalars[0] / Float(count)
        var result = [Float](repeating: 0, count: count)
        for index in 0..<count {
            let sigmoid = 1 / (1 + expf(-values[index]))
            result[index] = scale * (sigmoid - targetValues[index])
        }
        return [Tensor(shape: shape, scalars: result, dtype: logitsType)]
    }
}

/// The elements of any tensor in row-major order as floats (reordered to plain first when blocked).
func plainScalars(_ tensor: Tensor) -> [Float] {
    Compute.backend.reorder(tensor, to: .plain).scalars
}
