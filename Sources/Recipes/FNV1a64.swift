/// The 64-bit Fowler–Noll–Vo 1a hash of a byte sequence.
///
/// Small, fast, and the same on every platform and Swift version, unlike `Hasher`, which is
/// seeded per process; fine for fingerprints, not for anything adversarial.
public enum FNV1a64 {
    static let offsetBasis: UInt64 = 0xcbf2_9ce4_8422_2325
    static let prime: UInt64 = 0x0000_0100_0000_01b3

    public static func hash<Bytes: Sequence>(_ bytes: Bytes) -> UInt64 where Bytes.Element == UInt8 {
        var hash = offsetBasis
        for byte in bytes {
            hash ^= UInt64(byte)
            hash &*= prime
        }
        return hash
    }
}
