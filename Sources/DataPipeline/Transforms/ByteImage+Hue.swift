import Foundation

/// torchvision's `adjust_hue` on a PIL image: a round trip through PIL's 8-bit HSV with the hue byte shifted.
///
/// Shapes: an RGB image in, an RGB image of the same size out; a grey image comes
/// back unchanged, as torchvision returns "L" images untouched. The hue byte moves
/// by `Int(factor × 255)` modulo 256 (numpy's uint8 wrap-around, the product
/// truncated toward zero first), and both conversions repeat Pillow's `rgb2hsv`
/// and `hsv2rgb` with their mix of single and double precision. The round trip
/// itself is lossy, so even a factor whose shift is 0 changes some pixels, as it
/// does in torchvision.
extension ByteImage {
    /// This image with every pixel's hue turned by `factor` of a full circle.
    ///
    /// - Precondition: `factor` is in `-0.5...0.5`, torchvision's range.
    public func shiftingHue(_ factor: Double) -> ByteImage {
        precondition((-0.5...0.5).contains(factor), "a hue factor must be in -0.5...0.5, got \(factor)")
        guard channels == 3 else { return self }
        let shift = UInt8(truncatingIfNeeded: Int(factor * 255))
        var output = pixels
        for start in stride(from: 0, to: pixels.count, by: 3) {
            let (hue, saturation, value) = Self.hsv(red: pixels[start], green: pixels[start + 1], blue: pixels[start + 2])
            let (red, green, blue) = Self.rgb(hue: hue &+ shift, saturation: saturation, value: value)
            output[start] = red
            output[start + 1] = green
            output[start + 2] = blue
        }
        return ByteImage(width: width, height: height, channels: channels, pixels: output)
    }

    /// PIL's RGB-to-HSV conversion of one pixel, each component a byte.
    ///
    /// Hue and saturation are fractions in single precision scaled by 255 and
    /// truncated; the hue's offsets (2 and 4 sixths) are added in double before
    /// narrowing, as the C expression `2.0 + rc - bc` assigned to a float does.
    static func hsv(red: UInt8, green: UInt8, blue: UInt8) -> (hue: UInt8, saturation: UInt8, value: UInt8) {
        let maximum = max(red, green, blue)
        let minimum = min(red, green, blue)
        guard minimum != maximum else { return (0, 0, maximum) }
        let range = Float(Int(maximum) - Int(minimum))
        let saturation = range / Float(maximum)
        let redDistance = Float(Int(maximum) - Int(red)) / range
        let greenDistance = Float(Int(maximum) - Int(green)) / range
        let blueDistance = Float(Int(maximum) - Int(blue)) / range
        var hue: Float
        if red == maximum {
            hue = blueDistance - greenDistance
        } else if green == maximum {
            hue = Float(2.0 + Double(redDistance) - Double(blueDistance))
        } else {
            hue = Float(4.0 + Double(greenDistance) - Double(redDistance))
        }
        hue = Float(fmod(Double(hue) / 6.0 + 1.0, 1.0))
        return (clippedByte(Int(Double(hue) * 255.0)), clippedByte(Int(Double(saturation) * 255.0)), maximum)
    }

    /// PIL's HSV-to-RGB conversion of one pixel.
    ///
    /// The sector and its fraction come from `hue × 6 / 255` in double, the
    /// fraction and saturation are stored as floats, and the three mixed levels
    /// are rounded half away from zero, as C's `round` does.
    static func rgb(hue: UInt8, saturation: UInt8, value: UInt8) -> (red: UInt8, green: UInt8, blue: UInt8) {
        guard saturation != 0 else { return (value, value, value) }
        let position = Double(hue) * 6.0 / 255.0
        let sector = Int(position.rounded(.down))
        let fraction = Float(position - Double(sector))
        let saturationFraction = Float(Double(saturation) / 255.0)
        let level = Double(value)
        let lowest = clippedByte(Int((level * (1.0 - Double(saturationFraction))).rounded()))
        let falling = clippedByte(Int((level * (1.0 - Double(saturationFraction * fraction))).rounded()))
        let rising = clippedByte(Int((level * (1.0 - Double(saturationFraction) * (1.0 - Double(fraction)))).rounded()))
        switch sector % 6 {
        case 0: return (value, rising, lowest)
        case 1: return (falling, value, lowest)
        case 2: return (lowest, value, rising)
        case 3: return (lowest, falling, value)
        case 4: return (rising, lowest, value)
        default: return (value, lowest, falling)
        }
    }

    /// An integer clamped to a byte, as Pillow's `CLIP8`.
    @inline(__always)
    private static func clippedByte(_ value: Int) -> UInt8 {
        value <= 0 ? 0 : value < 256 ? UInt8(value) : 255
    }
}
