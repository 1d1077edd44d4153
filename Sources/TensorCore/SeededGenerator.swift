import Foundation

/// A small, fast, seedable random number generator (SplitMix64), identical on every platform.
///
/// Why not `SystemRandomNumberGenerator`: initialisation, dropout and data order
/// must be reproducible from a recipe's seed.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) {
        state = seed
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }

    /// A draw from the standard normal distribution (Box–Muller).
    public mutating func nextNormal() -> Double {
        let uniform1 = Double.random(in: Double.leastNonzeroMagnitude..<1, using: &self)
        let uniform2 = Double.random(in: 0..<1, using: &self)
        return (-2 * log(uniform1)).squareRoot() * cos(2 * Double.pi * uniform2)
    }
}
