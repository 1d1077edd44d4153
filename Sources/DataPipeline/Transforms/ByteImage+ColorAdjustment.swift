/// PIL's colour enhancements, which torchvision's `adjust_brightness`, `adjust_contrast` and `adjust_saturation` call on PIL images.
///
/// Shapes: each returns an image of the input's size and channels. All three are
/// PIL's `Image.blend(degenerate, image, factor)` — `degenerate + factor × (image − degenerate)`
/// per byte in single precision (PIL passes the factor as a C float), truncated
/// toward zero, clamped to 0...255 — against a different degenerate image: black
/// for brightness, the mean grey level for contrast, the image's own grey version
/// for saturation. Keeping PIL's float type and truncation is what keeps the bytes equal.
extension ByteImage {
    /// This image blended with black: factor 0 is black, 1 the image, above 1 brighter (PIL's `ImageEnhance.Brightness`).
    public func adjustingBrightness(_ factor: Double) -> ByteImage {
        let alpha = Float(factor)
        let table = (0..<256).map { Self.blend(0, UInt8($0), alpha) }
        return ByteImage(width: width, height: height, channels: channels, pixels: pixels.map { table[Int($0)] })
    }

    /// This image blended with its mean grey level (PIL's `ImageEnhance.Contrast`).
    ///
    /// The grey level is the mean of the image's grey version rounded half up,
    /// `int(mean + 0.5)`, as PIL computes it from the histogram.
    public func adjustingContrast(_ factor: Double) -> ByteImage {
        let mean = UInt8(Self.roundedMean(of: grayscaled(channels: 1).pixels))
        let alpha = Float(factor)
        let table = (0..<256).map { Self.blend(mean, UInt8($0), alpha) }
        return ByteImage(width: width, height: height, channels: channels, pixels: pixels.map { table[Int($0)] })
    }

    /// This image blended with its grey version: factor 0 is grey, 1 the image (PIL's `ImageEnhance.Color`).
    ///
    /// A grey image is its own grey version, so it comes back unchanged.
    public func adjustingSaturation(_ factor: Double) -> ByteImage {
        guard channels == 3 else { return self }
        let alpha = Float(factor)
        var output = pixels
        for start in stride(from: 0, to: pixels.count, by: 3) {
            let grey = Self.luma(red: pixels[start], green: pixels[start + 1], blue: pixels[start + 2])
            for channel in 0..<3 {
                output[start + channel] = Self.blend(grey, pixels[start + channel], alpha)
            }
        }
        return ByteImage(width: width, height: height, channels: channels, pixels: output)
    }

    /// This image's grey version (PIL's `convert("L")`), with `channels` copies of it per pixel (torchvision's `rgb_to_grayscale`).
    ///
    /// - Precondition: `channels` is 1 or 3.
    public func grayscaled(channels outputChannels: Int) -> ByteImage {
        precondition(outputChannels == 1 || outputChannels == 3, "a grey image has 1 or 3 channels, got \(outputChannels)")
        let grey: [UInt8]
        if channels == 1 {
            grey = pixels
        } else {
            grey = stride(from: 0, to: pixels.count, by: 3).map {
                Self.luma(red: pixels[$0], green: pixels[$0 + 1], blue: pixels[$0 + 2])
            }
        }
        let output = outputChannels == 1 ? grey : grey.flatMap { [$0, $0, $0] }
        return ByteImage(width: width, height: height, channels: outputChannels, pixels: output)
    }

    /// PIL's RGB-to-grey conversion: ITU-R 601-2 luma in 16-bit fixed point, rounded.
    ///
    /// `(19595 R + 38470 G + 7471 B + 2¹⁵) >> 16`, the weights 0.299, 0.587 and
    /// 0.114 scaled by 2¹⁶ (Pillow 9's `L24`; older Pillows truncated `/ 1000`).
    @inline(__always)
    static func luma(red: UInt8, green: UInt8, blue: UInt8) -> UInt8 {
        UInt8(truncatingIfNeeded: (Int(red) * 19595 + Int(green) * 38470 + Int(blue) * 7471 + 0x8000) >> 16)
    }

    /// PIL's `Image.blend` of one byte: `low + alpha × (high − low)` in single precision, truncated and clamped.
    @inline(__always)
    static func blend(_ low: UInt8, _ high: UInt8, _ alpha: Float) -> UInt8 {
        let value = Float(low) + alpha * Float(Int(high) - Int(low))
        if value <= 0 { return 0 }
        if value >= 255 { return 255 }
        return UInt8(value)
    }

    /// The mean of `bytes` plus one half, truncated: `int(ImageStat.Stat(image).mean[0] + 0.5)`.
    ///
    /// The sum is an exact integer and the division a single rounding in double,
    /// as in PIL's histogram-based mean.
    static func roundedMean(of bytes: [UInt8]) -> Int {
        guard !bytes.isEmpty else { return 0 }
        let sum = bytes.reduce(0) { $0 + Int($1) }
        return Int(Double(sum) / Double(bytes.count) + 0.5)
    }
}
