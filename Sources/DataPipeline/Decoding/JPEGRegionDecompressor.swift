import CJPEGRegion

/// Decodes one window of a JPEG through libjpeg's partial decompression (`hone_jpeg_decode_region`).
///
/// Shapes: the window is in the stored image's pixels at the chosen DCT scale
/// (`scale.scaled(side)` per side, before orientation); the result is
/// `window.height × window.width × channels` bytes. Rows below the window are never
/// decoded and rows above it only entropy-decoded, which is where the time goes in a
/// random crop's decode; the C side decodes a margin around the window and cuts it
/// away, so the pixels equal the whole TurboJPEG decode's at the same scale (same
/// inverse DCT, same fancy upsampling, warnings fatal). A stateless namespace: the
/// C function creates and destroys its decompressor per call, so nothing is shared
/// between threads.
enum JPEGRegionDecompressor {
    /// What a region decode gave.
    enum Outcome {
        /// The window's pixels.
        case decoded(ByteImage)
        /// The file is one the region path leaves to the whole decode: CMYK or YCCK
        /// colour, or data not ending in the end-of-image marker (so truncation below
        /// the window would go unseen).
        case needsFullDecode
    }

    /// Bytes reserved for libjpeg's message (its own limit, `JMSG_LENGTH_MAX`, is 200).
    private static let messageCapacity = 256

    /// Decodes `window` of the stored image at `scale`.
    ///
    /// - Parameters:
    ///   - bytes: the whole file.
    ///   - scale: the DCT scale.
    ///   - window: rows and columns to decode, within the scaled stored image.
    ///   - channels: 3 for RGB, 1 for libjpeg's grey output (for grey files).
    ///   - path: the file, for messages.
    /// - Throws: `ImageDecodingError` with libjpeg's message when it fails or warns,
    ///   or when the window does not fit the image libjpeg reads.
    static func decode(
        _ bytes: [UInt8], scale: JPEGScaleFactor, window: CropWindow, channels: Int, path: String
    ) throws(ImageDecodingError) -> Outcome {
        let rowBytes = window.width * channels
        let byteCount = window.height * rowBytes
        var status: Int32 = 0
        var message = [CChar](repeating: 0, count: messageCapacity)
        let pixels = [UInt8](unsafeUninitializedCapacity: byteCount) { destination, initialized in
            status = bytes.withUnsafeBufferPointer { source in
                hone_jpeg_decode_region(
                    source.baseAddress, source.count, Int32(scale.denominator),
                    Int32(window.left), Int32(window.top), Int32(window.width), Int32(window.height), Int32(channels),
                    destination.baseAddress, rowBytes, byteCount, nil, nil, &message, messageCapacity
                )
            }
            initialized = status == Int32(HONE_JPEG_REGION_OK.rawValue) ? byteCount : 0
        }
        switch UInt32(status) {
        case HONE_JPEG_REGION_OK.rawValue:
            return .decoded(ByteImage(width: window.width, height: window.height, channels: channels, pixels: pixels))
        case HONE_JPEG_REGION_NEEDS_FULL_DECODE.rawValue:
            return .needsFullDecode
        default:
            let text = String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            throw ImageDecodingError(
                path: path, format: .jpeg, category: category(ofLibjpegMessage: text),
                reason: "libjpeg, decoding the window \(window) at scale \(scale): \(text)"
            )
        }
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
