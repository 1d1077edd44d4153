import CTurboJPEG

/// One TurboJPEG decompression handle and the calls Hone makes on it.
///
/// A handle holds libjpeg's decompressor state and is reused from image to
/// image (creating one per image costs allocations for nothing); it must not be
/// used from two threads at once, so each `ImageDecoder` owns its own. The
/// flags are fixed to match PIL's libjpeg decode exactly: accurate integer
/// inverse DCT (`TJFLAG_ACCURATEDCT`, libjpeg's `JDCT_ISLOW`) and fancy
/// (triangle-filter) chroma upsampling (no `TJFLAG_FASTUPSAMPLE`). Warnings are
/// errors: libjpeg turns a truncated file into a warning and grey padding,
/// which would be a silently wrong image. TurboJPEG 2.1 already returns -1
/// after a warning (with `tjGetErrorCode` = `TJERR_WARNING`), and every -1 throws
/// here; `TJFLAG_STOPONWARNING` makes it stop at the first warning rather than
/// decode the rest for nothing. `TJFLAG_LIMITSCANS` refuses progressive files
/// with hundreds of scans, which could otherwise take minutes to decode.
final class TurboJPEGDecompressor {
    /// The pixel layouts Hone asks TurboJPEG for.
    enum PixelFormat {
        /// Three bytes per pixel, red first.
        case rgb
        /// One byte per pixel, luminance.
        case grey
        /// Four bytes per pixel as stored (Adobe files store them inverted).
        case cmyk

        /// Bytes per pixel.
        var bytesPerPixel: Int {
            switch self {
            case .rgb: return 3
            case .grey: return 1
            case .cmyk: return 4
            }
        }

        /// TurboJPEG's code for the layout.
        var code: Int32 {
            switch self {
            case .rgb: return Int32(TJPF_RGB.rawValue)
            case .grey: return Int32(TJPF_GRAY.rawValue)
            case .cmyk: return Int32(TJPF_CMYK.rawValue)
            }
        }
    }

    /// Decoded pixels and their size.
    struct Decoded {
        let width: Int
        let height: Int
        let pixels: [UInt8]
    }

    /// The factors of `JPEGScaleFactor.all` that `tjGetScalingFactors` offers (all four in every libjpeg-turbo release).
    static let availableScaleFactors: [JPEGScaleFactor] = {
        var count: Int32 = 0
        guard let factors = tjGetScalingFactors(&count) else { return [.full] }
        let denominators = Set((0..<Int(count)).filter { factors[$0].num == 1 }.map { Int(factors[$0].denom) })
        return JPEGScaleFactor.all.filter { denominators.contains($0.denominator) }
    }()

    /// The flags of every decompression call; see the type's documentation.
    private static let flags = TJFLAG_ACCURATEDCT | TJFLAG_STOPONWARNING | TJFLAG_LIMITSCANS

    /// TurboJPEG's decompressor state, owned by this object.
    private let handle: tjhandle

    /// Creates the handle, or returns nil when TurboJPEG cannot allocate one.
    init?() {
        guard let handle = tjInitDecompress() else { return nil }
        self.handle = handle
    }

    /// Frees the handle.
    deinit {
        tjDestroy(handle)
    }

    /// Decodes a whole JPEG at `scale` into `format`.
    ///
    /// - Parameters:
    ///   - bytes: the whole file.
    ///   - width: the stored width the header gave (already checked against the size limits).
    ///   - height: the stored height.
    ///   - scale: the DCT scale; the output is `scale.scaled(width) × scale.scaled(height)`.
    ///   - format: the pixel layout to produce.
    ///   - path: the file, for messages.
    /// - Throws: `ImageDecodingError` carrying TurboJPEG's message when it fails or warns.
    func decode(
        _ bytes: [UInt8], width: Int, height: Int, scale: JPEGScaleFactor, format: PixelFormat, path: String
    ) throws(ImageDecodingError) -> Decoded {
        var storedWidth: Int32 = 0
        var storedHeight: Int32 = 0
        var subsampling: Int32 = 0
        var colorSpace: Int32 = 0
        let headerStatus = bytes.withUnsafeBufferPointer { source in
            tjDecompressHeader3(
                handle, source.baseAddress, UInt(source.count), &storedWidth, &storedHeight, &subsampling, &colorSpace
            )
        }
        guard headerStatus == 0 else { throw failure(path: path) }
        guard Int(storedWidth) == width, Int(storedHeight) == height else {
            throw ImageDecodingError(
                path: path, format: .jpeg, category: .corrupt,
                reason: "TurboJPEG reads the size \(storedWidth)×\(storedHeight), the frame header says \(width)×\(height)"
            )
        }
        let outputWidth = scale.scaled(width)
        let outputHeight = scale.scaled(height)
        let byteCount = outputWidth * outputHeight * format.bytesPerPixel
        var status: Int32 = -1
        let pixels = [UInt8](unsafeUninitializedCapacity: byteCount) { destination, initialized in
            status = bytes.withUnsafeBufferPointer { source in
                tjDecompress2(
                    handle, source.baseAddress, UInt(source.count), destination.baseAddress,
                    Int32(outputWidth), 0, Int32(outputHeight), format.code, Self.flags
                )
            }
            initialized = status == 0 ? byteCount : 0
        }
        guard status == 0 else { throw failure(path: path) }
        return Decoded(width: outputWidth, height: outputHeight, pixels: pixels)
    }

    /// The error TurboJPEG reported for the last call, categorised by its message.
    ///
    /// libjpeg says "Premature end of JPEG file" when the data runs out (a
    /// warning that `TJFLAG_STOPONWARNING` makes fatal) and "Unsupported ..."
    /// for 12-bit, lossless or unconvertible files; anything else is corrupt data.
    private func failure(path: String) -> ImageDecodingError {
        let message = String(cString: tjGetErrorStr2(handle))
        let isWarning = tjGetErrorCode(handle) == Int32(TJERR_WARNING.rawValue)
        let category: ImageDecodingError.Category
        if message.contains("Premature end") {
            category = .truncated
        } else if message.hasPrefix("Unsupported") {
            category = .unsupportedFormat
        } else {
            category = .corrupt
        }
        return ImageDecodingError(
            path: path, format: .jpeg, category: category,
            reason: "TurboJPEG \(isWarning ? "warning" : "error"): \(message)"
        )
    }
}
