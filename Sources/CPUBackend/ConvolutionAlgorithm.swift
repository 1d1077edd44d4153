import CDNNL

/// Which algorithm the backend's convolutions ask oneDNN for.
///
/// Direct convolution is exact up to f32 rounding and matches what PyTorch's
/// oneDNN path computes. Winograd F(4×4, 3×3) does about 2.25x fewer
/// multiplications for f32 3×3 stride-1 convolutions, at the price of slightly
/// larger rounding error (its transforms amplify it), and only for some shapes is
/// it faster; oneDNN's `auto` applies its own per-shape, per-pass heuristic, which
/// is deterministic, so a run and its resume choose alike.
public enum ConvolutionAlgorithm: String, Sendable, CaseIterable {
    /// Direct convolution for every layer and pass.
    case direct
    /// oneDNN's choice per convolution and pass: Winograd where its heuristic expects a win (f32 only), direct elsewhere.
    case automatic = "auto"

    /// The oneDNN algorithm kind passed to descriptor initialisation.
    var dnnlKind: dnnl_alg_kind_t {
        switch self {
        case .direct: dnnl_convolution_direct
        case .automatic: dnnl_convolution_auto
        }
    }
}
