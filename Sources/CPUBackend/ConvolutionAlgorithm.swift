import CDNNL

/// Which algorithm the backend's convolutions ask oneDNN for.
///
/// Direct convolution is exact up to f32 rounding and matches what PyTorch's
/// oneDNN path computes. Winograd F(4×4, 3×3) does about 2.25x fewer
/// multiplications for f32 3×3 stride-1 convolutions, at the price of slightly
/// larger rounding error (its transforms amplify it), and only for some shapes is
/// it faster; oneDNN's `auto` applies its own per-shape, per-pass heuristic, which
/// is deterministic, so a run and its resume choose alike. oneDNN 2.6 has Winograd
/// only on AVX-512; on AVX2 CPUs `automatic` sends f32 3×3 stride-1 convolutions to
/// Hone's own F(2×2, 3×3) and F(4×4, 3×3) kernels instead (`CPUBackend+Winograd`),
/// and 3×3 stride-1 stems of 1-4 input channels, which oneDNN's AVX2 kernels run
/// slowly, to Hone's direct narrow-input kernels (`CPUBackend+NarrowConvolution`).
public enum ConvolutionAlgorithm: String, Sendable, CaseIterable {
    /// Direct convolution for every layer and pass.
    case direct
    /// Winograd where it wins (f32 only): oneDNN's per-shape choice on AVX-512, Hone's F(2,3) / F(4,3) kernels on AVX2.
    case automatic = "auto"

    /// The oneDNN algorithm kind passed to descriptor initialisation.
    var dnnlKind: dnnl_alg_kind_t {
        switch self {
        case .direct: dnnl_convolution_direct
        case .automatic: dnnl_convolution_auto
        }
    }
}
