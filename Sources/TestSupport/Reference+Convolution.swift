import TensorCore

extension Reference {
    /// A 2-D cross-correlation with PyTorch's `nn.functional.conv2d` semantics.
    ///
    /// Shapes: `input` [N, C, H, W], `weight` [O, C / groups, KH, KW], `bias` [O] or nil;
    /// the result is [N, O, OH, OW] with `OH = (H + 2·padH − dilH·(KH − 1) − 1) / strideH + 1`.
    /// Output channel `o` belongs to group `o / (O / groups)` and sees only that group's
    /// input channels; padding reads as zeros.
    ///
    /// Uses `ConvolutionGeometry`, the type the backend takes, so a test hands both sides
    /// the same value and the reference cannot disagree about what a field means.
    public static func conv2d(input: ReferenceTensor, weight: ReferenceTensor, bias: ReferenceTensor? = nil,
                              geometry: ConvolutionGeometry) -> ReferenceTensor {
        let outputShape = geometry.outputShape(input: Shape(input.shape), weight: Shape(weight.shape)).dimensions
        let (batch, inputChannels, height, width) = (input.shape[0], input.shape[1], input.shape[2], input.shape[3])
        let (outputChannels, groupInputChannels, kernelHeight, kernelWidth) =
            (weight.shape[0], weight.shape[1], weight.shape[2], weight.shape[3])
        let (outputHeight, outputWidth) = (outputShape[2], outputShape[3])
        let groupOutputChannels = outputChannels / geometry.groups
        if let bias {
            precondition(bias.shape == [outputChannels], "bias \(bias.shape) for \(outputChannels) output channels")
        }

        var output = ReferenceTensor(zeros: outputShape)
        for sample in 0..<batch {
            for outputChannel in 0..<outputChannels {
                let firstInputChannel = (outputChannel / groupOutputChannels) * groupInputChannels
                for outputRow in 0..<outputHeight {
                    for outputColumn in 0..<outputWidth {
                        var total = bias?.values[outputChannel] ?? 0
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
                                    total += input.values[inputIndex] * weight.values[weightIndex]
                                }
                            }
                        }
                        output.values[((sample * outputChannels + outputChannel) * outputHeight + outputRow)
                            * outputWidth + outputColumn] = total
                    }
                }
            }
        }
        return output
    }
}
