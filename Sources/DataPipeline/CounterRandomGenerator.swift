import Foundation

/// A counter-based random generator whose stream is fixed by (seed, epoch, stream, index) alone.
///
/// Shapes: each call to `next()` returns 64 bits, the SplitMix64 finaliser of a
/// key derived from the four coordinates plus a Weyl sequence over the call count.
/// Why counter-based rather than one shared sequential generator: the draws for
/// sample 17 of epoch 3 are the same whichever thread prepares it, in whatever
/// order, and whether the epoch was resumed half-way, so the loader's output is
/// bit-identical for any number of workers or prefetch depth.
struct CounterRandomGenerator: RandomNumberGenerator {
    /// What a stream of draws is for; distinct streams never share a key.
    enum Stream: UInt64 {
        /// The epoch's shuffle of sample order.
        case permutation = 0x5045_524D_5554_4531
        /// One sample's augmentation draws.
        case augmentation = 0x4155_474D_454E_5431
        /// One sample's random-erasing decision and rectangle.
        case erasing = 0x4552_4153_494E_4731
        /// One sample's random-erasing fill values.
        case erasingFill = 0x4552_4146_494C_4C31
        /// One batch's mixup/CutMix draws (keyed by batch number, not sample index).
        case mixing = 0x4D49_5849_4E47_5331
        /// One decoded image's horizontal-flip coin.
        case horizontalFlip = 0x484F_5246_4C49_5031
        /// One sample's random-resized-crop window.
        case resizedCrop = 0x5253_5A43_524F_5031
        /// One sample's colour-jitter order and factors.
        case colorJitter = 0x434F_4C4A_4954_5231
        /// One sample's random-grayscale decision.
        case grayscale = 0x4752_4159_5343_4C31
        /// One sample's Gaussian-blur decision and sigma.
        case gaussianBlur = 0x4753_424C_5552_3031
        /// One sample's PCA lighting noise.
        case lighting = 0x4C49_4748_544E_4731
        /// One sample's RandAugment, AutoAugment or TrivialAugment choices, magnitudes, signs and filters.
        case automaticAugmentation = 0x4155_544F_4155_4731
    }

    /// The golden-ratio increment of SplitMix64's Weyl sequence.
    private static let increment: UInt64 = 0x9E37_79B9_7F4A_7C15

    private let key: UInt64
    private var counter: UInt64 = 0

    /// The generator for one stream of one sample (or of the whole epoch, with index 0).
    init(seed: UInt64, epoch: Int, stream: Stream, index: Int) {
        var key = Self.finalise(seed ^ stream.rawValue)
        key = Self.finalise(key ^ UInt64(bitPattern: Int64(epoch)))
        key = Self.finalise(key ^ UInt64(bitPattern: Int64(index)))
        self.key = key
    }

    /// SplitMix64's output function: a bijection on 64 bits that spreads every input bit over the output.
    static func finalise(_ value: UInt64) -> UInt64 {
        var mixed = value
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }

    mutating func next() -> UInt64 {
        counter &+= 1
        return Self.finalise(key &+ counter &* Self.increment)
    }

    /// A uniform integer in `0..<bound`, without modulo bias (Lemire's multiply-and-reject).
    ///
    /// Written out rather than using `Int.random(in:using:)`, whose algorithm the
    /// standard library does not promise to keep, so a seed means the same order
    /// on every toolchain.
    mutating func uniform(below bound: Int) -> Int {
        precondition(bound > 0, "the bound of a uniform draw must be positive")
        let range = UInt64(bound)
        var product = next().multipliedFullWidth(by: range)
        if product.low < range {
            let threshold = (0 &- range) % range
            while product.low < threshold {
                product = next().multipliedFullWidth(by: range)
            }
        }
        return Int(product.high)
    }

    /// A uniform double in `[0, 1)` from the top 53 bits of one draw.
    mutating func unitInterval() -> Double {
        Double(next() >> 11) * 0x1p-53
    }

    /// A uniform double in `[lower, upper)`.
    mutating func uniform(_ lower: Double, _ upper: Double) -> Double {
        lower + (upper - lower) * unitInterval()
    }

    /// A standard normal draw by the Box–Muller transform (two uniforms per value; the sine half is discarded).
    mutating func standardNormal() -> Double {
        let radius = (-2 * log(1 - unitInterval())).squareRoot()
        return radius * cos(2 * Double.pi * unitInterval())
    }

    /// A fair coin.
    mutating func coin() -> Bool {
        next() >> 63 == 1
    }

    /// The order in which an epoch visits `count` samples: a Fisher–Yates shuffle of `0..<count`.
    static func permutation(count: Int, seed: UInt64, epoch: Int) -> [Int] {
        var generator = CounterRandomGenerator(seed: seed, epoch: epoch, stream: .permutation, index: 0)
        var order = Array(0..<count)
        var position = count - 1
        while position > 0 {
            let other = generator.uniform(below: position + 1)
            order.swapAt(position, other)
            position -= 1
        }
        return order
    }
}
