/// PIL's histogram-driven contrast operations: `ImageOps.autocontrast` and `ImageOps.equalize`, each channel on its own.
///
/// Shapes: an image in, one of the same size and channels out. Each channel's
/// 256-bin histogram builds that channel's lookup table with PIL's exact integer
/// and double arithmetic (truncating conversions, floor divisions, table values
/// clipped to a byte as PIL's `point` does), so the output bytes are PIL's.
extension ByteImage {
    /// Each channel stretched so its darkest byte becomes 0 and its brightest 255 (`ImageOps.autocontrast()` with no cutoff).
    ///
    /// A channel with a single level is left as it is.
    public func autocontrasted() -> ByteImage {
        perChannelTables { histogram in
            guard let lowest = histogram.firstIndex(where: { $0 > 0 }),
                  let highest = histogram.lastIndex(where: { $0 > 0 }), highest > lowest
            else { return (0..<256).map { UInt8($0) } }
            let scale = 255.0 / Double(highest - lowest)
            let offset = Double(-lowest) * scale
            return (0..<256).map { level in
                let value = Int(Double(level) * scale + offset)
                return UInt8(min(255, max(0, value)))
            }
        }
    }

    /// Each channel's histogram flattened (`ImageOps.equalize()` without a mask).
    ///
    /// PIL's step is the pixel count outside the brightest occupied level, floor-divided
    /// by 255; a channel with one occupied level or a zero step is left as it is.
    public func equalized() -> ByteImage {
        perChannelTables { histogram in
            let occupied = histogram.filter { $0 > 0 }
            guard occupied.count > 1 else { return (0..<256).map { UInt8($0) } }
            let step = (occupied.reduce(0, +) - occupied[occupied.count - 1]) / 255
            guard step > 0 else { return (0..<256).map { UInt8($0) } }
            var running = step / 2
            var table = [UInt8](repeating: 0, count: 256)
            for level in 0..<256 {
                table[level] = UInt8(min(255, running / step))
                running += histogram[level]
            }
            return table
        }
    }

    /// This image with each channel mapped through the table `makeTable` builds from that channel's histogram.
    private func perChannelTables(_ makeTable: ([Int]) -> [UInt8]) -> ByteImage {
        var counts = [Int](repeating: 0, count: 256 * channels)
        for start in stride(from: 0, to: pixels.count, by: channels) {
            for channel in 0..<channels { counts[channel * 256 + Int(pixels[start + channel])] += 1 }
        }
        let tables = (0..<channels).flatMap { makeTable(Array(counts[($0 * 256)..<($0 * 256 + 256)])) }
        var output = pixels
        for start in stride(from: 0, to: pixels.count, by: channels) {
            for channel in 0..<channels { output[start + channel] = tables[channel * 256 + Int(pixels[start + channel])] }
        }
        return ByteImage(width: width, height: height, channels: channels, pixels: output)
    }
}
