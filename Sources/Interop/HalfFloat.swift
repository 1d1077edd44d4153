/// Conversion from the IEEE 754 binary16 ("half", safetensors F16) bit pattern to `Float`.
///
/// Layout: 1 sign bit, 5 exponent bits (bias 15), 10 fraction bits. Every half
/// value is exactly representable as a float, so the conversion is exact:
/// normals rebias the exponent, subnormals (exponent 0) are fraction × 2⁻²⁴,
/// infinities stay infinite and NaNs keep their payload and quiet bit. Why our
/// own: `Float16` is unavailable on some of the platforms Hone builds for.
public enum HalfFloat {
    /// The float equal to the half whose bits are `bits`.
    @inlinable
    public static func float(from bits: UInt16) -> Float {
        let sign = UInt32(bits & 0x8000) << 16
        let exponent = UInt32(bits >> 10) & 0x1F
        let fraction = UInt32(bits) & 0x3FF
        switch exponent {
        case 0x1F:
            return Float(bitPattern: sign | 0x7F80_0000 | (fraction << 13))
        case 0:
            let magnitude = Float(fraction) * 0x1p-24
            return sign == 0 ? magnitude : -magnitude
        default:
            return Float(bitPattern: sign | ((exponent + 112) << 23) | (fraction << 13))
        }
    }
}
