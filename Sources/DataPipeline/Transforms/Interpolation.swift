/// How a resize computes each output pixel from the source pixels around it: PIL's resampling filters.
///
/// Shapes: `bilinear` and `bicubic` are separable kernels of radius 1 and 2 source
/// pixels at a scale of 1, widened by the downscale factor when shrinking (PIL's
/// antialiasing); `nearest` picks one source pixel. The raw values match
/// torchvision's `InterpolationMode` names, so a recipe's `interpolation: bicubic`
/// parses directly, and on PIL images torchvision hands each one to PIL unchanged.
public enum Interpolation: String, Sendable, Equatable, CaseIterable {
    /// The source pixel whose cell holds the output pixel's centre (PIL's `NEAREST`).
    case nearest
    /// The triangle kernel, radius 1 (PIL's `BILINEAR`).
    case bilinear
    /// Keys' cubic convolution kernel with a = -0.5, radius 2 (PIL's `BICUBIC`).
    case bicubic
}
