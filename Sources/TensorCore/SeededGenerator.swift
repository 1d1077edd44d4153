import Foundation

/// A tiny deterministic 64-bit random number generator (Steele, Lea and Flood's SplitMix64).
///
/// Why not `SystemRandomNumberGenerator`: initialisation, dropout, data order and
/// test inputs must be the same on every machine and every run from a seed alone.
/// SplitMix64 is one addition and three mixing steps, passes BigCrush, and any
/// seed (zero included) is a good one.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    /// The generator's whole state: advanced by a fixed odd constant per draw.
    public private(set) var state: UInt64

    /// A generator whose sequence is determined by `seed` alone.
    public init(seed: UInt64) {
        state = seed
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }

    /// A uniform draw from [0, 1) with 53 random bits, every value a multiple of 2⁻⁵³.
    public mutating func uniform() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// A uniform draw from `range`: [lowerBound, upperBound) up to rounding.
    public mutating func uniform(in range: ClosedRange<Double>) -> Double {
        range.lowerBound + (range.upperBound - range.lowerBound) * uniform()
    }

    /// A normal draw with the given mean and standard deviation, by the Box–Muller transform.
    ///
    /// Uses two uniforms per draw and keeps no spare value, so the sequence depends
    /// only on the seed and the number of draws, not on which kinds of draws came before.
    public mutating func normal(mean: Double = 0, standardDeviation: Double = 1) -> Double {
        let radiusUniform = 1 - uniform()
        let angleUniform = uniform()
        let radius = (-2 * log(radiusUniform)).squareRoot()
        return mean + standardDeviation * radius * cos(2 * Double.pi * angleUniform)
    }
}
