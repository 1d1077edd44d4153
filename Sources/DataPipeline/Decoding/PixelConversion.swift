/// The per-pixel conversions between what the C decoders deliver and what `ByteImage` holds.
///
/// Shapes: inputs and outputs are interleaved 8-bit pixels, row-major, with
/// the channel count the function name says (CMYK 4, RGBA 4, RGB 3, grey 1).
/// Each formula is PIL's own integer arithmetic, so results match PIL exactly
/// rather than within a tolerance.
enum PixelConversion {
    /// Converts Adobe-style (inverted) CMYK to RGB exactly as PIL does for a CMYK JPEG.
    ///
    /// PIL reads CMYK JPEGs with raw mode `CMYK;I`, assuming Adobe's convention
    /// that stored samples are inverted, then its `cmyk2rgb` computes
    /// `clip(255 − k − mulDiv255(c, 255 − k))` on the un-inverted values, where
    /// `mulDiv255(a, b) = ((t >> 8) + t) >> 8` with `t = a × b + 128`. With stored
    /// samples `s` (so `c = 255 − s_c`, `255 − k = s_k`) that is
    /// `s_k − mulDiv255(255 − s_c, s_k)`, which is never negative (clamped anyway, as PIL clips).
    static func invertedCMYKToRGB(_ cmyk: [UInt8], pixelCount: Int) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: pixelCount * 3) { rgb, initialized in
            cmyk.withUnsafeBufferPointer { source in
                for pixel in 0..<pixelCount {
                    let key = Int(source[4 * pixel + 3])
                    for channel in 0..<3 {
                        let product = (255 - Int(source[4 * pixel + channel])) * key + 128
                        rgb[3 * pixel + channel] = UInt8(clamping: key - (((product >> 8) + product) >> 8))
                    }
                }
            }
            initialized = pixelCount * 3
        }
    }

    /// Blends RGBA onto an opaque background: `(c × a + b × (255 − a) + 127) / 255` per channel.
    static func compositeRGBA(_ rgba: [UInt8], pixelCount: Int, onto background: AlphaHandling.Background) -> [UInt8] {
        let backdrop = [Int(background.red), Int(background.green), Int(background.blue)]
        return [UInt8](unsafeUninitializedCapacity: pixelCount * 3) { rgb, initialized in
            rgba.withUnsafeBufferPointer { source in
                for pixel in 0..<pixelCount {
                    let alpha = Int(source[4 * pixel + 3])
                    for channel in 0..<3 {
                        let blended = Int(source[4 * pixel + channel]) * alpha + backdrop[channel] * (255 - alpha) + 127
                        rgb[3 * pixel + channel] = UInt8(blended / 255)
                    }
                }
            }
            initialized = pixelCount * 3
        }
    }

    /// Drops the alpha channel of RGBA, keeping the stored colour (PIL's `convert("RGB")` of RGBA).
    static func discardingAlpha(_ rgba: [UInt8], pixelCount: Int) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: pixelCount * 3) { rgb, initialized in
            rgba.withUnsafeBufferPointer { source in
                for pixel in 0..<pixelCount {
                    rgb[3 * pixel] = source[4 * pixel]
                    rgb[3 * pixel + 1] = source[4 * pixel + 1]
                    rgb[3 * pixel + 2] = source[4 * pixel + 2]
                }
            }
            initialized = pixelCount * 3
        }
    }

    /// ITU-R 601-2 luma, PIL's `convert("L")`: `(19595 R + 38470 G + 7471 B + 32768) >> 16`.
    ///
    /// The weights sum to 65536, so a grey pixel (R = G = B = v) maps to v exactly.
    static func luma(_ rgb: [UInt8], pixelCount: Int) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: pixelCount) { grey, initialized in
            rgb.withUnsafeBufferPointer { source in
                for pixel in 0..<pixelCount {
                    let red = Int(source[3 * pixel])
                    let green = Int(source[3 * pixel + 1])
                    let blue = Int(source[3 * pixel + 2])
                    grey[pixel] = UInt8((19595 * red + 38470 * green + 7471 * blue + 0x8000) >> 16)
                }
            }
            initialized = pixelCount
        }
    }
}
