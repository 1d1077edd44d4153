import Foundation

/// One axis of a PIL-style convolution resize: for each output position, the source span it reads and fixed-point weights.
///
/// Shapes: output position `o` reads `count[o]` consecutive source positions from
/// `first[o]`, weighted by `weights[o × taps ..< o × taps + count[o]]`, each a
/// signed integer scaled by 2²² (PIL's `PRECISION_BITS`). Every step repeats
/// Pillow's `precompute_coeffs` and `normalize_coeffs_8bpc` in the same precision
/// and order — the span's length computed in single precision as PIL's float box
/// is, centres and kernel values in double, rounding half away from zero into
/// fixed point — because a weight one unit off moves some output byte by one.
struct ResampleWeights {
    /// The separable kernel of a convolution resize.
    enum Kernel {
        /// PIL's bilinear filter: 1 − |x| within radius 1.
        case triangle
        /// PIL's bicubic filter, Keys' kernel with a = -0.5, radius 2.
        case cubic

        /// The kernel for a convolution interpolation; nil for nearest, which is not a convolution.
        init?(_ interpolation: Interpolation) {
            switch interpolation {
            case .nearest: return nil
            case .bilinear: self = .triangle
            case .bicubic: self = .cubic
            }
        }

        /// Radius in source pixels at a scale of 1.
        var support: Double {
            switch self {
            case .triangle: 1
            case .cubic: 2
            }
        }

        /// The weight at a distance of `x` (already divided by the downscale factor).
        ///
        /// The cubic keeps PIL's operation order, `((a + 2)x − (a + 3))x² + 1` and
        /// `(((x − 5)x + 8)x − 4)a`, so each weight is the same double PIL computes.
        func weight(_ x: Double) -> Double {
            let distance = x < 0 ? -x : x
            switch self {
            case .triangle:
                return distance < 1 ? 1 - distance : 0
            case .cubic:
                if distance < 1 { return (1.5 * distance - 2.5) * distance * distance + 1 }
                if distance < 2 { return (((distance - 5) * distance + 8) * distance - 4) * -0.5 }
                return 0
            }
        }
    }

    /// Fractional bits of the fixed-point weights (Pillow's `PRECISION_BITS`: 32 − 8 − 2).
    static let precisionBits: Int32 = 22

    /// Slots reserved per output position; `count` never exceeds it.
    let taps: Int
    /// First source position each output position reads.
    let first: [Int]
    /// How many source positions each output position reads.
    let count: [Int]
    /// `outputSize × taps` fixed-point weights; unused slots are zero.
    let weights: [Int32]

    /// Weights that map the source span `start..<end` of an axis `inputSize` long onto `outputSize` positions.
    ///
    /// - Precondition: `outputSize > 0` and `0 <= start < end <= inputSize`.
    init(inputSize: Int, start: Float, end: Float, outputSize: Int, kernel: Kernel) {
        precondition(outputSize > 0, "a resize needs a positive output size, got \(outputSize)")
        precondition(start >= 0 && start < end && end <= Float(inputSize),
                     "the resize span \(start)..<\(end) must lie within 0...\(inputSize) and not be empty")
        let scale = Double(end - start) / Double(outputSize)
        let filterScale = max(scale, 1)
        let support = kernel.support * filterScale
        let taps = Int(support.rounded(.up)) * 2 + 1
        let inverseFilterScale = 1 / filterScale
        var first = [Int](repeating: 0, count: outputSize)
        var count = [Int](repeating: 0, count: outputSize)
        var weights = [Int32](repeating: 0, count: outputSize * taps)
        var raw = [Double](repeating: 0, count: taps)
        let unit = Double(1 << Self.precisionBits)
        for position in 0..<outputSize {
            let centre = Double(start) + (Double(position) + 0.5) * scale
            let lowest = max(Int(centre - support + 0.5), 0)
            let highest = min(Int(centre + support + 0.5), inputSize)
            let span = highest - lowest
            var total = 0.0
            for tap in 0..<span {
                let weight = kernel.weight((Double(tap + lowest) - centre + 0.5) * inverseFilterScale)
                raw[tap] = weight
                total += weight
            }
            for tap in 0..<span {
                let normalised = total != 0 ? raw[tap] / total : raw[tap]
                weights[position * taps + tap] = normalised < 0
                    ? Int32(-0.5 + normalised * unit)
                    : Int32(0.5 + normalised * unit)
            }
            first[position] = lowest
            count[position] = span
        }
        self.taps = taps
        self.first = first
        self.count = count
        self.weights = weights
    }

    /// The weights, first positions and tap counts as C pointers (positions and counts as 64-bit integers).
    func withCArrays<Result>(_ body: (UnsafePointer<Int32>, UnsafePointer<Int64>, UnsafePointer<Int64>) -> Result) -> Result {
        weights.withUnsafeBufferPointer { weights in
            first.withUnsafeBufferPointer { first in
                count.withUnsafeBufferPointer { count in
                    let firstPointer = UnsafeRawPointer(first.baseAddress!).assumingMemoryBound(to: Int64.self)
                    let countPointer = UnsafeRawPointer(count.baseAddress!).assumingMemoryBound(to: Int64.self)
                    return body(weights.baseAddress!, firstPointer, countPointer)
                }
            }
        }
    }
}
