/// Conversions between `Float` and the bfloat16 bit pattern (the upper 16 bits of an IEEE float).
///
/// Rounding is to nearest, ties to even, as PyTorch does, subnormals included; NaN
/// stays NaN. oneDNN's own conversion agrees except that it flushes float32
/// subnormals (below about 1.2e-38) to zero.
public enum BFloat16 {
    /// The bfloat16 bits nearest to `value`.
    @inlinable
    public static func bits(from value: Float) -> UInt16 {
        let raw = value.bitPattern
        if value.isNaN { return UInt16(truncatingIfNeeded: raw >> 16) | 0x0040 }
        let roundingBias: UInt32 = 0x7FFF + ((raw >> 16) & 1)
        return UInt16(truncatingIfNeeded: (raw &+ roundingBias) >> 16)
    }

    /// The float whose upper 16 bits are `bits`.
    @inlinable
    public static func float(from bits: UInt16) -> Float {
        Float(bitPattern: UInt32(bits) << 16)
    }

    /// `value` rounded to the nearest bfloat16 and widened back to a float.
    @inlinable
    public static func rounded(_ value: Float) -> Float {
        float(from: bits(from: value))
    }
}
