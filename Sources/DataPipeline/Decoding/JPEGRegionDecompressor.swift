import CJPEGRegion

/// Decodes the rows of one window of a JPEG through libjpeg's partial decompression (`hone_jpeg_decode_region`).
///
/// Shapes: the window is in the stored image's pixels at the chosen DCT scale
/// (`scale.scaled(side)` per side, before orientation). The output is
/// `window.height` rows of the whole scaled width, `rowStride` bytes apart, each
/// holding the image row in place (column c at byte `c × channels`): the window's
/// columns and the iMCUs around them decoded, the rest zero. Rows in place let the
/// caller hand libjpeg the rows of its own image, so no pixel is copied after
/// decoding. Rows below the window are never decoded and rows above it only
/// entropy-decoded, which is where a random crop saves time; the C side decodes a
/// margin beside the window, so the window's pixels equal the whole TurboJPEG decode's
/// at the same scale (same inverse DCT, same fancy upsampling, warnings fatal). A
/// stateless namespace: the C function creates and destroys its decompressor per
/// call, so nothing is shared between threads.
enum JPEGRegionDecompressor {
    /// Bytes reserved for libjpeg's message (its own limit, `JMSG_LENGTH_MAX`, is 200).
    private static let messageCapacity = 256

    /// Decodes the rows of `window` at `scale` into `output`; false when the file needs the whole decode instead.
    ///
    /// The whole decode is needed for CMYK and YCCK colour and for data not ending in
    /// the end-of-image marker (truncation below the window would otherwise go unseen).
    ///
    /// - Parameters:
    ///   - bytes: the whole file.
    ///   - scale: the DCT scale.
    ///   - window: rows and columns to decode, within the scaled stored image.
    ///   - channels: 3 for RGB, 1 for libjpeg's grey output (for grey files).
    ///   - output: room for `window.height` rows `rowStride` bytes apart, the last one
    ///     at least the scaled width times `channels` long.
    ///   - rowStride: bytes from one output row to the next, at least the scaled width times `channels`.
    ///   - path: the file, for messages.
    /// - Throws: `ImageDecodingError` with libjpeg's message when it fails or warns,
    ///   or when the window or the output does not fit the image libjpeg reads.
    static func decodeRows(
        _ bytes: [UInt8], scale: JPEGScaleFactor, window: CropWindow, channels: Int,
        into output: UnsafeMutableBufferPointer<UInt8>, rowStride: Int, path: String
    ) throws(ImageDecodingError) -> Bool {
        var message = [CChar](repeating: 0, count: messageCapacity)
        let status = bytes.withUnsafeBufferPointer { source in
            hone_jpeg_decode_region(
                source.baseAddress, source.count, Int32(scale.denominator),
                Int32(window.left), Int32(window.top), Int32(window.width), Int32(window.height), Int32(channels),
                output.baseAddress, rowStride, output.count, nil, nil, nil, nil, &message, messageCapacity
            )
        }
        switch UInt32(status) {
        case HONE_JPEG_REGION_OK.rawValue:
            return true
        case HONE_JPEG_REGION_NEEDS_FULL_DECODE.rawValue:
            return false
        default:
            let text = String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            throw ImageDecodingError(
                path: path, format: .jpeg, category: category(ofLibjpegMessage: text),
                reason: "libjpeg, decoding the window \(window) at scale \(scale): \(text)"
            )
        }
    }

    /// The rows of `window` as a `scaledWidth × window.height` image with the window's columns in place, or nil when the file needs the whole decode.
    static func decodeRows(
        _ bytes: [UInt8], scale: JPEGScaleFactor, window: CropWindow, scaledWidth: Int, channels: Int, path: String
    ) throws(ImageDecodingError) -> ByteImage? {
        let rowStride = scaledWidth * channels
        let byteCount = window.height * rowStride
        var decoded = false
        var failure: ImageDecodingError?
        let pixels = [UInt8](unsafeUninitializedCapacity: byteCount) { destination, initialized in
            do throws(ImageDecodingError) {
                decoded = try decodeRows(bytes, scale: scale, window: window, channels: channels,
                                         into: destination, rowStride: rowStride, path: path)
            } catch {
                failure = error
            }
            initialized = decoded ? byteCount : 0
        }
        if let failure { throw failure }
        return decoded ? ByteImage(width: scaledWidth, height: window.height, channels: channels, pixels: pixels) : nil
    }

    /// The failure category libjpeg's words imply, as for the TurboJPEG path: running
    /// out of data is truncation, "Unsupported ..." an unsupported variant, anything
    /// else corrupt data.
    private static func category(ofLibjpegMessage message: String) -> ImageDecodingError.Category {
        if message.contains("Premature end") { return .truncated }
        if message.hasPrefix("Unsupported") { return .unsupportedFormat }
        return .corrupt
    }
}
