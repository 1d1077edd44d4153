extension ImageDecoder {
    /// The size `decode(_:path:options:)` gives an image with this header: the displayed size at the chosen DCT scale.
    ///
    /// Shapes: JPEG sides are `scale.scaled(side)` for the scale `options.minimumSize`
    /// allows, swapped for orientations 5–8 when orientation is applied; PNG is
    /// always decoded at full size. Lets a caller draw a window on the decoded image
    /// before decoding it.
    public static func decodedSize(of header: ImageHeader, options: ImageDecodingOptions) -> (width: Int, height: Int) {
        let orientation = options.appliesExifOrientation ? header.orientation ?? .identity : .identity
        let (storedWidth, storedHeight): (Int, Int)
        switch header {
        case let .jpeg(jpegHeader):
            let scale = scale(of: jpegHeader, orientation: orientation, options: options)
            (storedWidth, storedHeight) = (scale.scaled(jpegHeader.width), scale.scaled(jpegHeader.height))
        case let .png(pngHeader):
            (storedWidth, storedHeight) = (pngHeader.width, pngHeader.height)
        }
        return orientation.swapsWidthAndHeight ? (storedHeight, storedWidth) : (storedWidth, storedHeight)
    }

    /// Decodes only `region` of a file held in memory, with the pixels the whole decode has there.
    ///
    /// Shapes: `region` is in the coordinates of the image `decode(_:path:options:)`
    /// returns (displayed, at the chosen DCT scale; see `decodedSize(of:options:)`).
    /// With `.cropped` the result equals `decode(bytes, path: path, options: options).cropped(region)`
    /// byte for byte; with `.inPlace` it has the whole decoded size and equals the
    /// whole decode inside `region`.
    ///
    /// Why: a random crop keeps on average about half of a picture, and JPEG decoding
    /// is most of a training loader's time. For a JPEG the window is mapped through
    /// the EXIF orientation onto the stored image, decoded by libjpeg's partial
    /// decompression (`JPEGRegionDecompressor`: rows below it not decoded at all, rows
    /// above it only entropy-decoded, columns cut to the iMCUs it touches) and then
    /// oriented. The whole image is decoded instead for PNG, for CMYK and YCCK JPEGs,
    /// for a JPEG whose data does not end with its end-of-image marker, and for a
    /// region that is empty or reaches past the image (cropped then as `cropped(_:)`
    /// crops, zero outside). A truncated file fails exactly as the whole decode fails;
    /// corrupt entropy-coded data below the window, which the whole decode would
    /// report, goes unseen because it is never read.
    ///
    /// - Throws: `ImageDecodingError` as `decode(_:path:options:)`.
    public func decode(
        _ bytes: [UInt8], path: String, options: ImageDecodingOptions = ImageDecodingOptions(), region: CropWindow,
        placement: RegionPlacement = .cropped
    ) throws(ImageDecodingError) -> ByteImage {
        let header = try ImageHeader.probe(bytes, path: path)
        try options.limits.check(width: header.width, height: header.height, path: path, format: header.format)
        let size = Self.decodedSize(of: header, options: options)
        if case let .jpeg(jpegHeader) = header, region.fits(imageWidth: size.width, imageHeight: size.height),
           let window = try decodeJPEGRegion(bytes, header: jpegHeader, region: region, options: options, path: path) {
            return placement == .cropped ? window : window.placed(at: region, inWidth: size.width, height: size.height)
        }
        let whole = try decode(bytes, path: path, options: options)
        return placement == .cropped ? whole.cropped(region) : whole
    }

    /// The displayed `region` of a JPEG decoded through the stored rectangle it comes from, or nil when the file needs the whole decode.
    ///
    /// Grey output of a colour file is the luma of the RGB window, as the whole
    /// decode computes it; a grey file read as grey is decoded straight to grey.
    private func decodeJPEGRegion(
        _ bytes: [UInt8], header: JPEGHeader, region: CropWindow, options: ImageDecodingOptions, path: String
    ) throws(ImageDecodingError) -> ByteImage? {
        switch header.colorSpace {
        case .cmyk, .ycck: return nil
        case .grey, .yCbCr, .rgb: break
        }
        let orientation = options.appliesExifOrientation ? header.orientation ?? .identity : .identity
        let scale = Self.scale(of: header, orientation: orientation, options: options)
        let storedWindow = orientation.storedWindow(ofDisplayed: region, storedWidth: scale.scaled(header.width),
                                                    storedHeight: scale.scaled(header.height))
        let decodesGrey = header.colorSpace == .grey && options.colorMode == .grey
        let outcome = try JPEGRegionDecompressor.decode(bytes, scale: scale, window: storedWindow,
                                                        channels: decodesGrey ? 1 : 3, path: path)
        guard case var .decoded(window) = outcome else { return nil }
        if !decodesGrey && options.colorMode == .grey {
            window = ByteImage(width: window.width, height: window.height, channels: 1,
                               pixels: PixelConversion.luma(window.pixels, pixelCount: window.width * window.height))
        }
        return window.applyingOrientation(orientation)
    }
}

extension ByteImage {
    /// This image copied into a zeroed `width × height` image with its top-left pixel at `region`'s.
    ///
    /// - Precondition: this image is `region.width × region.height` and `region` lies within `width × height`.
    fileprivate func placed(at region: CropWindow, inWidth width: Int, height: Int) -> ByteImage {
        precondition(self.width == region.width && self.height == region.height && region.fits(imageWidth: width, imageHeight: height),
                     "a \(self.width)×\(self.height) window cannot be placed at \(region) in a \(width)×\(height) image")
        var canvas = [UInt8](repeating: 0, count: width * height * channels)
        let rowBytes = region.width * channels
        pixels.withUnsafeBufferPointer { source in
            canvas.withUnsafeMutableBufferPointer { destination in
                for row in 0..<region.height {
                    let target = destination.baseAddress! + ((region.top + row) * width + region.left) * channels
                    target.update(from: source.baseAddress! + row * rowBytes, count: rowBytes)
                }
            }
        }
        return ByteImage(width: width, height: height, channels: channels, pixels: canvas)
    }
}
