/// PIL's `ImageEnhance.Sharpness`: the image blended with its `ImageFilter.SMOOTH` version.
///
/// Shapes: an image in, one of the same size and channels out. The smoothed
/// image is PIL's 3 × 3 convolution with weights (1 1 1 / 1 5 1 / 1 1 1) / 13 —
/// each weight divided by 13 in single precision, products summed row by row in
/// single precision from 0.5 and truncated — with the outer rows and columns
/// copied unchanged (PIL does not filter the border); an image under 3 × 3 is its
/// own smoothed version. The blend is PIL's `Image.blend(smoothed, image, factor)`:
/// factor 0 is the smoothed image, 1 the image, above 1 sharper.
extension ByteImage {
    /// This image sharpened (factor above 1) or softened (below 1).
    public func adjustingSharpness(_ factor: Double) -> ByteImage {
        let smooth = smoothed()
        let alpha = Float(factor)
        var output = pixels
        for index in pixels.indices {
            output[index] = Self.blend(smooth.pixels[index], pixels[index], alpha)
        }
        return ByteImage(width: width, height: height, channels: channels, pixels: output)
    }

    /// PIL's `filter(ImageFilter.SMOOTH)`: the 3 × 3 smoothing kernel inside the border, the border copied.
    func smoothed() -> ByteImage {
        guard width >= 3 && height >= 3 else { return self }
        let edge = Float(1) / Float(13)
        let centre = Float(5) / Float(13)
        var output = pixels
        let stride = width * channels
        for row in 1..<(height - 1) {
            for column in 1..<(width - 1) {
                for channel in 0..<channels {
                    let index = row * stride + column * channels + channel
                    let below = index + stride
                    let above = index - stride
                    var sum: Float = 0.5
                    sum += Float(pixels[below - channels]) * edge + Float(pixels[below]) * edge
                        + Float(pixels[below + channels]) * edge
                    sum += Float(pixels[index - channels]) * edge + Float(pixels[index]) * centre
                        + Float(pixels[index + channels]) * edge
                    sum += Float(pixels[above - channels]) * edge + Float(pixels[above]) * edge
                        + Float(pixels[above + channels]) * edge
                    output[index] = sum <= 0 ? 0 : sum >= 255 ? 255 : UInt8(sum)
                }
            }
        }
        return ByteImage(width: width, height: height, channels: channels, pixels: output)
    }
}
