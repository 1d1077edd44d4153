import TensorCore

extension Reference {
    /// 2-D max or average pooling with PyTorch's `F.max_pool2d` / `F.avg_pool2d` semantics.
    ///
    /// Shapes: `input` [N, C, H, W] → [N, C, OH, OW], with OH and OW from
    /// `PoolingGeometry.outputLength` (in ceil mode the last window must start inside the
    /// input or the left padding: if `(out − 1)·stride ≥ in + pad` then `out −= 1`).
    /// Window `o` covers `[o·stride − pad, o·stride − pad + kernel)` along each axis.
    ///
    /// Max pooling treats padding as −∞ (so it never wins) and propagates NaN as PyTorch
    /// does. Average pooling with `countIncludePadding` divides by the window clipped to the
    /// padded input `[−pad, in + pad)` — a ceil-mode window running past the right padding
    /// does not count the part beyond it — and without it by the number of input elements
    /// the window covers. These are exactly the corner cases where backends disagree.
    public static func pool2d(input: ReferenceTensor, geometry: PoolingGeometry) -> ReferenceTensor {
        let outputShape = geometry.outputShape(input: Shape(input.shape)).dimensions
        let (batch, channels, height, width) = (input.shape[0], input.shape[1], input.shape[2], input.shape[3])
        let (outputHeight, outputWidth) = (outputShape[2], outputShape[3])
        var output = ReferenceTensor(zeros: outputShape)
        for plane in 0..<(batch * channels) {
            let planeStart = plane * height * width
            for outputRow in 0..<outputHeight {
                let rows = PoolingWindow(output: outputRow, input: height, kernel: geometry.kernel.height,
                                         stride: geometry.stride.height, padding: geometry.padding.height)
                for outputColumn in 0..<outputWidth {
                    let columns = PoolingWindow(output: outputColumn, input: width, kernel: geometry.kernel.width,
                                                stride: geometry.stride.width, padding: geometry.padding.width)
                    let result: Double
                    switch geometry.kind {
                    case .max:
                        var maximum = -Double.infinity
                        for row in rows.valid {
                            for column in columns.valid {
                                let value = input.values[planeStart + row * width + column]
                                if value > maximum || value.isNaN { maximum = value }
                            }
                        }
                        result = maximum
                    case .average(let countIncludePadding):
                        var total = 0.0
                        for row in rows.valid {
                            for column in columns.valid {
                                total += input.values[planeStart + row * width + column]
                            }
                        }
                        let divisor = countIncludePadding
                            ? rows.padded.count * columns.padded.count
                            : rows.valid.count * columns.valid.count
                        result = total / Double(divisor)
                    }
                    output.values[(plane * outputHeight + outputRow) * outputWidth + outputColumn] = result
                }
            }
        }
        return output
    }

    /// The mean of each channel's spatial plane: [N, C, H, W] → [N, C].
    ///
    /// The head of every ResNet; kept separate from `pool2d` because it has no geometry
    /// and the backend implements it as a reduction, not a windowed pool.
    public static func globalAveragePool(_ input: ReferenceTensor) -> ReferenceTensor {
        precondition(input.rank == 4, "global average pooling needs an NCHW input, got \(input.shape)")
        let planes = input.shape[0] * input.shape[1]
        let planeSize = input.shape[2] * input.shape[3]
        precondition(planeSize > 0, "global average pooling of an empty plane")
        let means = (0..<planes).map { plane in
            input.values[(plane * planeSize)..<((plane + 1) * planeSize)].reduce(0, +) / Double(planeSize)
        }
        return ReferenceTensor(shape: [input.shape[0], input.shape[1]], values: means)
    }
}
