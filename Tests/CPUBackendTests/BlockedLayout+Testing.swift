import CPUBackend
import TensorCore
import Testing

/// The blocked layout oneDNN's convolution writes for an activation of `shape` and `dtype` (nChw16c on AVX-512).
///
/// Found by running a 1×1 convolution with as many output channels as `shape` has
/// channels, so a test can hand a kernel the layout a real network would: activations
/// stay blocked between layers. Plain when oneDNN chose plain for this shape.
func convolutionOutputFormat(shape: Shape, dtype: DType) -> MemoryFormat {
    let channels = shape[1]
    let input = Tensor(zeros: shape, dtype: dtype)
    let weight = Tensor(zeros: [channels, channels, 1, 1], dtype: dtype)
    return testBackend.convolutionForward(input: input, weight: weight, bias: nil, geometry: ConvolutionGeometry()).format
}

/// `tensor` reordered to the blocked layout a convolution would have written it in.
///
/// Records an issue if that layout is plain, since the caller means to test a blocked input.
func blocked(_ tensor: Tensor, sourceLocation: SourceLocation = #_sourceLocation) -> Tensor {
    let format = convolutionOutputFormat(shape: tensor.shape, dtype: tensor.dtype)
    #expect(!format.isPlain, "a convolution output of \(tensor.shape) should be blocked", sourceLocation: sourceLocation)
    return testBackend.reorder(tensor, to: format)
}
