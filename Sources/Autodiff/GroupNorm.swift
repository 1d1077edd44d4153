import TensorCore

/// Group normalisation (Wu & He): each sample's channels split into `groups`, normalised per group.
///
/// Shapes: input NCHW with C divisible by `groups`; scale, shift float32 [C]. Uses
/// the biased variance, as `nn.GroupNorm`. Independent of the batch size, which is
/// why "Rethinking ImageNet Pre-training" uses it for small per-device batches.
/// oneDNN 2.6 has no group norm, so this runs in Swift on a plain float32 copy.
public func groupNorm(_ input: Variable, groups: Int, scale: Variable, shift: Variable, epsilon: Float) -> Variable {
    let shape = input.shape
    precondition(shape.rank == 4 && shape[1] % groups == 0, "group norm of \(shape) into \(groups) groups")
    let (batch, channels) = (shape[0], shape[1])
    let plane = shape[2] * shape[3]
    let groupSize = channels / groups * plane
    let values = plainScalars(input.value)
    let gamma = scale.value.scalars
    let beta = shift.value.scalars
    var normalized = [Float](repeating: 0, count: values.count)
    var inverseDeviations = [Float](repeating: 0, count: batch * groups)
    var output = [Float](repeating: 0, count: values.count)
    for group in 0..<(batch * groups) {
        let start = group * groupSize
        var sum = 0.0
        for index in start..<(start + groupSize) { sum += Double(values[index]) }
        let mean = sum / Double(groupSize)
        var squares = 0.0
        for index in start..<(start + groupSize) { squares += (Double(values[index]) - mean) * (Double(values[index]) - mean) }
        let inverseDeviation = 1 / (squares / Double(groupSize) + Double(epsilon)).squareRoot()
        inverseDeviations[group] = Float(inverseDeviation)
        for index in start..<(start + groupSize) {
            let channel = (index / plane) % channels
            let hat = Float((Double(values[index]) - mean) * inverseDeviation)
            normalized[index] = hat
            output[index] = hat * gamma[channel] + beta[channel]
        }
    }
    let dtype = input.dtype
    let result = Tensor(shape: shape, scalars: output, dtype: dtype)
    let needsGradient = (input: input.requiresGradient, scale: scale.requiresGradient, shift: shift.requiresGradient)
    return Variable.result(result, inputs: [input, scale, shift]) { gradient in
        let upstream = plainScalars(gradient)
        var scaleGradient = [Double](repeating: 0, count: channels)
        var shiftGradient = [Double](repeating: 0, count: channels)
        var inputGradient = [Float](repeating: 0, count: values.count)
        for group in 0..<(batch * groups) {
            let start = group * groupSize
            var meanOfGradient = 0.0
            var meanOfGradientTimesHat = 0.0
            for index in start..<(start + groupSize) {
                let channel = (index / plane) % channels
                let gradientOfHat = Double(upstream[index]) * Double(gamma[channel])
                meanOfGradient += gradientOfHat
                meanOfGradientTimesHat += gradientOfHat * Double(normalized[index])
                scaleGradient[channel] += Double(upstream[index]) * Double(normalized[index])
                shiftGradient[channel] += Double(upstream[index])
            }
            meanOfGradient /= Double(groupSize)
            meanOfGradientTimesHat /= Double(groupSize)
            for index in start..<(start + groupSize) {
                let channel = (index / plane) % channels
                let gradientOfHat = Double(upstream[index]) * Double(gamma[channel])
                inputGradient[index] = Float(Double(inverseDeviations[group])
                    * (gradientOfHat - meanOfGradient - Double(normalized[index]) * meanOfGradientTimesHat))
            }
        }
        return [needsGradient.input ? Tensor(shape: shape, scalars: inputGradient, dtype: dtype) : nil,
                needsGradient.scale ? Tensor(shape: [channels], scalars: scaleGradient.map(Float.init)) : nil,
                needsGradient.shift ? Tensor(shape: [channels], scalars: shiftGradient.map(Float.init)) : nil]
    }
}
