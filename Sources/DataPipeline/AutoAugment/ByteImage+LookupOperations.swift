/// PIL's per-byte lookup-table operations that AutoAugment uses: `ImageOps.invert`, `posterize`, `solarize`, and timm's `solarize_add`.
///
/// Shapes: an image in, one of the same size and channels out, every byte
/// replaced through one 256-entry table shared by all channels (PIL's `point` with
/// the table repeated per band). The tables depend only on their argument, so
/// they are exact by construction.
extension ByteImage {
    /// This image with every byte looked up in `table`.
    ///
    /// - Precondition: `table` has 256 entries.
    func mapped(through table: [UInt8]) -> ByteImage {
        precondition(table.count == 256, "a byte lookup table has 256 entries, got \(table.count)")
        return ByteImage(width: width, height: height, channels: channels, pixels: pixels.map { table[Int($0)] })
    }

    /// The negative: every byte `v` becomes `255 − v` (`ImageOps.invert`).
    public func inverted() -> ByteImage {
        mapped(through: (0..<256).map { UInt8(255 - $0) })
    }

    /// Every byte with only its `bits` most significant bits kept (`ImageOps.posterize`).
    ///
    /// 8 or more bits keep the image; 0 or fewer clear every byte, as PIL's mask
    /// `~(2^(8 − bits) − 1)` does for those counts.
    public func posterized(bits: Int) -> ByteImage {
        if bits >= 8 { return self }
        let mask: UInt8 = bits <= 0 ? 0 : ~UInt8((1 << (8 - bits)) - 1)
        return mapped(through: (0..<256).map { UInt8($0) & mask })
    }

    /// Every byte at or above `threshold` inverted, the rest kept (`ImageOps.solarize`).
    ///
    /// The threshold is a real number because torchvision's TrivialAugmentWide
    /// passes fractional thresholds such as 246.5; a threshold of 0 inverts
    /// everything, one above 255 nothing.
    public func solarized(threshold: Double) -> ByteImage {
        mapped(through: (0..<256).map { Double($0) < threshold ? UInt8($0) : UInt8(255 - $0) })
    }

    /// Every byte below `threshold` raised by `addition`, capped at 255; the rest kept (timm's `solarize_add`).
    public func solarizedByAddition(_ addition: Int, threshold: Int = 128) -> ByteImage {
        mapped(through: (0..<256).map { $0 < threshold ? UInt8(max(0, min(255, $0 + addition))) : UInt8($0) })
    }
}
