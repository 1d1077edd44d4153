import TensorCore

/// Batch normalisation with the batch's own statistics (training mode), optionally followed by a fused ReLU.
///
/// Shapes: input NCHW; scale, shift float32 [C]. Returns the output and the batch
/// mean and biased variance, from which the layer updates its running statistics.
/// The pullback gives gradients for the input, scale and shift from oneDNN's
/// backward kernel (fused ReLU included).
public func batchNormTraining(_ input: Variable, scale: Variable, shift: Variable, epsilon: Float,
                              fuseReLU: Bool = false) -> (output: Variable, mean: Tensor, variance: Tensor) {
    let backend = Compute.backend
    let saved = backend.batchNormTrainingForward(input: input.value, scale: scale.value, shift: shift.value,
                                                 epsilon: epsilon, fuseReLU: fuseReLU)
    let statistics = saved.statistics
    let output = Variable.result(saved.output, inputs: [input, scale, shift]) { gradient in
        let gradients = backend.batchNormBackward(gradientOfOutput: gradient, input: input.value,
                                                  scale: scale.value, shift: shift.value, saved: statistics,
                                                  epsilon: epsilon, fuseReLU: fuseReLU, useGlobalStatistics: false)
        return [input.requiresGradient ? gradients.input : nil,
                scale.requiresGradient ? gradients.scale : nil,
                shift.requiresGradient ? gradients.shift : nil]
    }
    return (output, saved.mean, saved.variance)
}

/// Batch normalisation with given (running) statistics, as in evaluation; optionally a fused ReLU.
///
/// Shapes: input NCHW; scale, shift, mean, variance float32 [C]. Differentiable with
/// the statistics as constants (a batch norm kept in evaluation mode while the
/// layers around it train, as `norm_eval` fine-tuning does); the ReLU then runs
/// as its own op so that its gradient has the activation to look at.
public func batchNormInference(_ input: Variable, scale: Variable, shift: Variable, mean: Tensor, variance: Tensor,
                               epsilon: Float, fuseReLU: Bool = false) -> Variable {
    let backend = Compute.backend
    let needsGradient = GradientMode.isEnabled && [input, scale, shift].contains(where: \.requiresGradient)
    guard needsGradient else {
        return Variable(backend.batchNormInferenceForward(input: input.value, scale: scale.value, shift: shift.value,
                                                          mean: mean, variance: variance, epsilon: epsilon,
                                                          fuseReLU: fuseReLU))
    }
    let output = backend.batchNormInferenceForward(input: input.value, scale: scale.value, shift: shift.value,
                                                   mean: mean, variance: variance, epsilon: epsilon, fuseReLU: false)
    let saved = BatchNormSavedStatistics(mean: mean, variance: variance, workspace: nil)
    let normalized = Variable.result(output, inputs: [input, scale, shift]) { gradient in
        let gradients = backend.batchNormBackward(gradientOfOutput: gradient, input: input.value,
                                                  scale: scale.value, shift: shift.value, saved: saved,
                                                  epsilon: epsilon, fuseReLU: false, useGlobalStatistics: true)
        return [input.requiresGradient ? gradients.input : nil,
                scale.requiresGradient ? gradients.scale : nil,
                shift.requiresGradient ? gradients.shift : nil]
    }
    return fuseReLU ? relu(normalized) : normalized
}
