import Foundation

/// The one-dimensional Gaussian weights torchvision's `gaussian_blur` builds, in single precision as it does.
///
/// Shapes: `size` weights at offsets `−(size − 1)/2 … (size − 1)/2`, each
/// `exp(−½ (x / σ)²)` divided by their sum, every step in `Float` (torchvision
/// makes the kernel in float32 before convolving), so the weights agree with
/// torchvision's to the last bit or so.
struct GaussianKernel: Equatable, Sendable {
    /// The normalised weights, leftmost offset first.
    let weights: [Float]

    /// The kernel of `size` taps for standard deviation `sigma`.
    ///
    /// - Precondition: `size` is odd and positive, `sigma` is positive.
    init(size: Int, sigma: Double) {
        precondition(size > 0 && size % 2 == 1, "a Gaussian kernel needs an odd positive size, got \(size)")
        precondition(sigma > 0, "a Gaussian kernel needs a positive sigma, got \(sigma)")
        let half = Float(size - 1) * 0.5
        let deviation = Float(sigma)
        let densities = (0..<size).map { tap -> Float in
            let scaled = (Float(tap) - half) / deviation
            return exp(-0.5 * (scaled * scaled))
        }
        let total = densities.reduce(0, +)
        weights = densities.map { $0 / total }
    }
}
