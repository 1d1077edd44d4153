import Foundation

/// PIL's `Image.rotate(angle, resample, fillcolor=…)` without expansion: a turn about the image centre, counter-clockwise for positive degrees.
///
/// Shapes: an image in, one of the same size and channels out. PIL first reduces
/// the angle modulo 360 (Python's `%`, whose result takes the divisor's sign),
/// returns exact transposes for 0°, 180°, and 90° or 270° on a square image, and
/// otherwise builds the inverse matrix about the centre (w/2, h/2) from cosine
/// and sine rounded to 15 decimals, then resamples through `Image.transform`.
/// Each step is repeated here — the modulo, the radians product, the decimal
/// rounding — so the matrix, and with it every byte, is PIL's.
extension ByteImage {
    /// This image turned `degrees` counter-clockwise about its centre, uncovered pixels painted with `fill`.
    public func rotated(degrees: Double, interpolation: Interpolation, fill: FillColor) -> ByteImage {
        let angle = Self.pythonRemainder(degrees, 360)
        if angle == 0 { return self }
        if angle == 180 { return rotatedHalfTurn() }
        if (angle == 90 || angle == 270) && width == height {
            return angle == 90 ? rotatedQuarterTurn(counterClockwise: true) : rotatedQuarterTurn(counterClockwise: false)
        }
        return affineTransformed(Self.rotationMatrix(degrees: angle, width: width, height: height),
                                 interpolation: interpolation, fill: fill)
    }

    /// The inverse rotation matrix PIL's `rotate` hands to `transform`, for an angle already reduced modulo 360.
    static func rotationMatrix(degrees: Double, width: Int, height: Int) -> AffineMatrix {
        let centreX = Double(width) / 2.0
        let centreY = Double(height) / 2.0
        let radians = -(degrees * (Double.pi / 180.0))
        let cosine = roundedToFifteenDecimals(cos(radians))
        let sine = roundedToFifteenDecimals(sin(radians))
        let negatedSine = roundedToFifteenDecimals(-sin(radians))
        let offsetX = cosine * -centreX + sine * -centreY + 0.0
        let offsetY = negatedSine * -centreX + cosine * -centreY + 0.0
        return AffineMatrix(a: cosine, b: sine, c: offsetX + centreX, d: negatedSine, e: cosine, f: offsetY + centreY)
    }

    /// Python's float `%`: C's `fmod`, moved into the divisor's sign, and a zero carrying the divisor's sign.
    static func pythonRemainder(_ value: Double, _ divisor: Double) -> Double {
        var remainder = fmod(value, divisor)
        if remainder != 0 {
            if (divisor < 0) != (remainder < 0) { remainder += divisor }
        } else {
            remainder = divisor < 0 ? -0.0 : 0.0
        }
        return remainder
    }

    /// Python's `round(value, 15)`: the value correctly rounded to 15 decimal places and read back.
    ///
    /// glibc's `printf` rounds the exact binary value, as Python's `dtoa` does, and
    /// Swift's `Double(String)` reads the decimal back correctly rounded.
    static func roundedToFifteenDecimals(_ value: Double) -> Double {
        Double(String(format: "%.15f", value)) ?? value
    }

    /// PIL's `ROTATE_180` transpose: rows and columns both reversed.
    func rotatedHalfTurn() -> ByteImage {
        var output = pixels
        for row in 0..<height {
            for column in 0..<width {
                let source = (row * width + column) * channels
                let target = ((height - 1 - row) * width + (width - 1 - column)) * channels
                for channel in 0..<channels { output[target + channel] = pixels[source + channel] }
            }
        }
        return ByteImage(width: width, height: height, channels: channels, pixels: output)
    }

    /// PIL's `ROTATE_90` (counter-clockwise) or `ROTATE_270` transpose; the output's sides are the input's swapped.
    func rotatedQuarterTurn(counterClockwise: Bool) -> ByteImage {
        var output = pixels
        for row in 0..<height {
            for column in 0..<width {
                let source = (row * width + column) * channels
                let targetRow = counterClockwise ? width - 1 - column : column
                let targetColumn = counterClockwise ? row : height - 1 - row
                let target = (targetRow * height + targetColumn) * channels
                for channel in 0..<channels { output[target + channel] = pixels[source + channel] }
            }
        }
        return ByteImage(width: height, height: width, channels: channels, pixels: output)
    }
}
