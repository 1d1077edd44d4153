/// The largest image the decoder accepts, checked against the stored header before any pixel buffer is allocated.
///
/// A file of a few hundred bytes can claim 60000×60000 pixels (a decompression
/// bomb); decoding it would allocate gigabytes. The defaults, 2^15 per side and
/// 2^28 pixels (768 MiB as RGB), admit any real photograph in ImageNet-like data
/// sets with a wide margin.
public struct ImageSizeLimits: Equatable, Hashable, Sendable {
    /// The longest side accepted, in pixels.
    public var maximumSide: Int
    /// The most pixels (width × height) accepted.
    public var maximumPixels: Int

    /// Limits from their two bounds.
    public init(maximumSide: Int = 1 << 15, maximumPixels: Int = 1 << 28) {
        self.maximumSide = maximumSide
        self.maximumPixels = maximumPixels
    }

    /// Throws `tooLarge` when a `width × height` image exceeds these limits.
    ///
    /// - Parameters:
    ///   - width: stored columns.
    ///   - height: stored rows.
    ///   - path: the file, for the message.
    ///   - format: the file's format, for the message.
    public func check(width: Int, height: Int, path: String, format: ImageFormat) throws(ImageDecodingError) {
        let (pixels, overflow) = width.multipliedReportingOverflow(by: height)
        guard width > maximumSide || height > maximumSide || overflow || pixels > maximumPixels else { return }
        throw ImageDecodingError(
            path: path, format: format, category: .tooLarge,
            reason: "the header claims \(width)×\(height) pixels, expected at most \(maximumSide) per side "
                + "and \(maximumPixels) in all"
        )
    }
}
