import Foundation
import TensorCore

/// Mean over the batch of KL(softmax(teacher / T) ‖ softmax(logits / T)): the soft-target term of knowledge distillation.
///
/// Shapes: `logits` [N, C] (differentiated), `teacherLogits` [N, C] (a constant, any
/// layout), `temperature` T > 0; returns a scalar. Per row, Σ_c p_c·(log p_c − log q_c)
/// with p = softmax(teacher / T) and q = softmax(logits / T), summed over classes and
/// averaged over the N rows (PyTorch's `kl_div(..., reduction: "batchmean")`). The
/// gradient with respect to the logits is (q − p) / (T·N); Hinton's T² factor is left
/// to the caller, which weighs this term against the hard loss.
public func kullbackLeiblerDivergence(logits: Variable, teacherLogits: Tensor, temperature: Float) -> Variable {
    precondition(logits.shape.rank == 2 && teacherLogits.shape == logits.shape,
                 "KL divergence needs [N, C] logits and teacher logits, got \(logits.shape) and \(teacherLogits.shape)")
    precondition(temperature > 0 && temperature.isFinite, "temperature must be a positive number, got \(temperature)")
    let rows = logits.shape[0]
    let classes = logits.shape[1]
    let student = logSoftmaxRows(plainScalars(logits.value), rows: rows, classes: classes, temperature: temperature)
    let teacher = logSoftmaxRows(plainScalars(Compute.backend.convert(teacherLogits, to: .float32)), rows: rows,
                                 classes: classes, temperature: temperature)
    var total = 0.0
    var difference = [Float](repeating: 0, count: rows * classes)
    for index in 0..<(rows * classes) {
        let teacherProbability = exp(teacher[index])
        if teacherProbability > 0 { total += teacherProbability * (teacher[index] - student[index]) }
        difference[index] = Float(exp(student[index]) - teacherProbability)
    }
    let loss = Tensor(shape: [], scalars: [Float(total / Double(rows))])
    let logitsType = logits.dtype
    return Variable.result(loss, inputs: [logits]) { gradient in
        let scale = gradient.scalars[0] / (temperature * Float(rows))
        return [Tensor(shape: [rows, classes], scalars: difference.map { $0 * scale }, dtype: logitsType)]
    }
}

/// The log-softmax of each row of `values / temperature`, in Float64, shifted by the row's maximum for stability.
private func logSoftmaxRows(_ values: [Float], rows: Int, classes: Int, temperature: Float) -> [Double] {
    var result = [Double](repeating: 0, count: rows * classes)
    let divisor = Double(temperature)
    for row in 0..<rows {
        let offset = row * classes
        var largest = -Double.infinity
        for column in 0..<classes { largest = max(largest, Double(values[offset + column]) / divisor) }
        var sum = 0.0
        for column in 0..<classes { sum += exp(Double(values[offset + column]) / divisor - largest) }
        let logSum = largest + log(sum)
        for column in 0..<classes { result[offset + column] = Double(values[offset + column]) / divisor - logSum }
    }
    return result
}
