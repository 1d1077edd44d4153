import TensorCore
import TestSupport

/// The exact Float64 gradients of `Reference.dot(Reference.conv2d(input, weight, bias), cotangent)`.
///
/// Shapes: `input` [N, C, H, W], `weight` [O, C / groups, KH, KW], `cotangent` the
/// convolution's output shape; the gradients have the shapes of input, weight and [O].
/// Convolution is linear in its input and in its weight, so its gradients are exact
/// transposed sums: wherever the forward pass multiplies `input[i]·weight[k]` into
/// `output[o]`, `cotangent[o]·weight[k]` goes to the input's gradient and
/// `cotangent[o]·input[i]` to the weight's. Why not finite differences everywhere: one
/// pass instead of 2n reference convolutions keeps the debug build fast; the test
/// `convolutionAdjointMatchesFiniteDifferences` ties this to the reference itself.
enum ConvolutionAdjoint {
    static func gradients(input: ReferenceTensor, weight: ReferenceTensor, cotangent: ReferenceTensor,
                          geometry: ConvolutionGeometry)
        -> (input: ReferenceTensor, weight: ReferenceTensor, bias: ReferenceTensor) {
        let (batch, inputChannels, height, width) = (input.shape[0], input.shape[1], input.shape[2], input.shape[3])
        let (outputChannels, groupInputChannels, kernelHeight, kernelWidth) =
            (weight.shape[0], weight.shape[1], weight.shape[2], weight.shape[3])
        let (outputHeight, outputWidth) = (cotangent.shape[2], cotangent.shape[3])
        let groupOutputChannels = outputChannels / geometry.groups
        let inputValues = input.values
        let weightValues = weight.values
        let upstreamValues = cotangent.values
        var inputGradient = [Double](repeating: 0, count: inputValues.count)
        var weightGradient = [Double](repeating: 0, count: weightValues.count)
        var biasGradient = [Double](repeating: 0, count: outputChannels)
        for sample in 0..<batch {
            for outputChannel in 0..<outputChannels {
                let firstInputChannel = (outputChannel / groupOutputChannels) * groupInputChannels
                for outputRow in 0..<outputHeight {
                    for outputColumn in 0..<outputWidth {
                        let upstream = upstreamValues[((sample * outputChannels + outputChannel) * outputHeight
                            + outputRow) * outputWidth + outputColumn]
                        biasGradient[outputChannel] += upstream
                        for channelInGroup in 0..<groupInputChannels {
                            let inputChannel = firstInputChannel + channelInGroup
                            for kernelRow in 0..<kernelHeight {
                                let row = outputRow * geometry.stride.height - geometry.padding.height
                                    + kernelRow * geometry.dilation.height
                                guard row >= 0 && row < height else { continue }
                                for kernelColumn in 0..<kernelWidth {
                                    let column = outputColumn * geometry.stride.width - geometry.padding.width
                                        + kernelColumn * geometry.dilation.width
                                    guard column >= 0 && column < width else { continue }
                                    let inputIndex = ((sample * inputChannels + inputChannel) * height + row) * width
                                        + column
                                    let weightIndex = ((outputChannel * groupInputChannels + channelInGroup)
                                        * kernelHeight + kernelRow) * kernelWidth + kernelColumn
                                    inputGradient[inputIndex] += upstream * weightValues[weightIndex]
                                    weightGradient[weightIndex] += upstream * inputValues[inputIndex]
                                }
                            }
                        }
                    }
                }
            }
        }
        return (ReferenceTensor(shape: input.shape, values: inputGradient),
                ReferenceTensor(shape: weight.shape, values: weightGradient),
                ReferenceTensor(shape: [outputChannels], values: biasGradient))
    }
}
