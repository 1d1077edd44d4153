import Foundation

/// Decodes JPEG and PNG bytes into a `ByteImage`: format sniffed from the bytes, orientation applied, bad files thrown.
///
/// Shapes: the result has `options.colorMode.channels` channels (3 by default)
/// and the displayed size: stored size, divided by the JPEG DCT scale
/// (rounded up), with width and height swapped for EXIF orientations 5–8.
///
/// JPEG goes through TurboJPEG, PNG through libpng's simplified API; the
/// header is probed first (`ImageHeader.probe`) so that the size limits are
/// enforced before any pixel buffer exists and CMYK files are routed to the
/// CMYK conversion. With default options the pixels equal PIL's
/// `exif_transpose(Image.open(f)).convert("RGB")` exactly for 8-bit files
/// (tested against goldens); see `AlphaHandling` and `PNGReader` for the two
/// deliberate differences (alpha composited, 16-bit rounded rather than
/// truncated). Every failure throws `ImageDecodingError`; no input crashes,
/// hangs or returns a partly decoded image.
///
/// A class because it owns a TurboJPEG handle reused across images; not
/// `Sendable`: give each loader thread its own decoder.
public final class ImageDecoder {
    /// The TurboJPEG handle, created on the first JPEG.
    private var turboJPEG: TurboJPEGDecompressor?

    /// A decoder with no handle yet.
    public init() {}

    /// Decodes a whole encoded file held in memory.
    ///
    /// - Parameters:
    ///   - bytes: the file's bytes.
    ///   - path: where the bytes came from, used only in error messages.
    ///   - options: channels, DCT scaling, orientation, alpha and size limits.
    /// - Throws: `ImageDecodingError` naming `path`, the sniffed format and the
    ///   category of the failure.
    public func decode(
        _ bytes: [UInt8], path: String, options: ImageDecodingOptions = ImageDecodingOptions()
    ) throws(ImageDecodingError) -> ByteImage {
        let header = try ImageHeader.probe(bytes, path: path)
        try options.limits.check(width: header.width, height: header.height, path: path, format: header.format)
        let orientation = options.appliesExifOrientation ? header.orientation ?? .identity : .identity
        let stored: ByteImage
        switch header {
        case let .jpeg(jpegHeader):
            stored = try decodeJPEG(bytes, header: jpegHeader, orientation: orientation, options: options, path: path)
        case let .png(pngHeader):
            stored = try PNGReader.decode(bytes, header: pngHeader, options: options, path: path)
        }
        return stored.applyingOrientation(orientation)
    }

    /// Decodes an encoded file held in `Data` (copied once into an array).
    public func decode(
        _ data: Data, path: String, options: ImageDecodingOptions = ImageDecodingOptions()
    ) throws(ImageDecodingError) -> ByteImage {
        try decode([UInt8](data), path: path, options: options)
    }

    /// Reads and decodes the file at `url`.
    ///
    /// - Throws: `ImageDecodingError` with category `unreadableFile` when the
    ///   file cannot be read, otherwise as `decode(_:path:options:)`.
    public func decode(
        contentsOf url: URL, options: ImageDecodingOptions = ImageDecodingOptions()
    ) throws(ImageDecodingError) -> ByteImage {
        let bytes: [UInt8]
        do {
            bytes = [UInt8](try Data(contentsOf: url))
        } catch {
            throw ImageDecodingError(
                path: url.path, format: .unknown, category: .unreadableFile, reason: error.localizedDescription
            )
        }
        return try decode(bytes, path: url.path, options: options)
    }

    /// Decodes a probed JPEG at the smallest DCT scale the options allow, as stored (before orientation).
    ///
    /// CMYK and YCCK files are decoded to CMYK and converted as PIL converts
    /// them; a grey file read as grey is decoded straight to grey; every other
    /// grey request is the luma of the RGB decode, as PIL's `convert("L")`.
    private func decodeJPEG(
        _ bytes: [UInt8], header: JPEGHeader, orientation: ExifOrientation, options: ImageDecodingOptions, path: String
    ) throws(ImageDecodingError) -> ByteImage {
        let scale = Self.scale(of: header, orientation: orientation, options: options)
        let format: TurboJPEGDecompressor.PixelFormat
        switch header.colorSpace {
        case .cmyk, .ycck: format = .cmyk
        case .grey where options.colorMode == .grey: format = .grey
        case .grey, .yCbCr, .rgb: format = .rgb
        }
        let decoded = try decompressor(path: path).decode(
            bytes, width: header.width, height: header.height, scale: scale, format: format, path: path
        )
        let pixelCount = decoded.width * decoded.height
        var pixels = decoded.pixels
        if format == .cmyk {
            pixels = PixelConversion.invertedCMYKToRGB(pixels, pixelCount: pixelCount)
        }
        if format != .grey && options.colorMode == .grey {
            pixels = PixelConversion.luma(pixels, pixelCount: pixelCount)
        }
        return ByteImage(width: decoded.width, height: decoded.height, channels: options.colorMode.channels, pixels: pixels)
    }

    /// The smallest DCT scale at which a JPEG still meets `options.minimumSize` once oriented.
    static func scale(
        of header: JPEGHeader, orientation: ExifOrientation, options: ImageDecodingOptions
    ) -> JPEGScaleFactor {
        JPEGScaleFactor.smallest(
            forStoredWidth: header.width, height: header.height, meeting: options.minimumSize,
            swapsWidthAndHeight: orientation.swapsWidthAndHeight, among: TurboJPEGDecompressor.availableScaleFactors
        )
    }

    /// The TurboJPEG handle, created on first use.
    private func decompressor(path: String) throws(ImageDecodingError) -> TurboJPEGDecompressor {
        if let turboJPEG { return turboJPEG }
        guard let created = TurboJPEGDecompressor() else {
            throw ImageDecodingError(
                path: path, format: .jpeg, category: .decoderFailure, reason: "TurboJPEG could not allocate a decompressor"
            )
        }
        turboJPEG = created
        return created
    }
}
