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
           let image = try decodeJPEGRegion(bytes, header: jpegHeader, region: region, decodedSize: size,
                                            placement: placement, options: options, path: path) {
            return image
        }
        let whole = try decode(bytes, path: path, options: options)
        return placement == .cropped ? whole.cropped(region) : whole
    }

    /// The displayed `region` of a JPEG decoded through the stored rectangle it comes from, or nil when the file needs the whole decode.
    ///
    /// An upright image placed in place is decoded straight into the rows of the
    /// result (the rows outside the window zeroed), with no copy; otherwise the
    /// window's rows are decoded, the window cut from them, converted, oriented and
    /// placed. Grey output of a colour file is the luma of the RGB window, as the
    /// whole decode computes it; a grey file read as grey is decoded straight to grey.
    private func decodeJPEGRegion(
        _ bytes: [UInt8], header: JPEGHeader, region: CropWindow, decodedSize: (width: Int, height: Int),
        placement: RegionPlacement, options: ImageDecodingOptions, path: String
    ) throws(ImageDecodingError) -> ByteImage? {
        switch header.colorSpace {
        case .cmyk, .ycck: return nil
        case .grey, .yCbCr, .rgb: break
        }
        let orientation = options.appliesExifOrientation ? header.orientation ?? .identity : .identity
        let scale = Self.scale(of: header, orientation: orientation, options: options)
        let decodesGrey = header.colorSpace == .grey && options.colorMode == .grey
        let channels = decodesGrey ? 1 : 3
        let convertsToGrey = !decodesGrey && options.colorMode == .grey
        if orientation == .identity && placement == .inPlace && !convertsToGrey {
            return try decodeInPlace(bytes, scale: scale, region: region, decodedSize: decodedSize, channels: channels,
                                     path: path)
        }
        let storedWindow = orientation.storedWindow(ofDisplayed: region, storedWidth: scale.scaled(header.width),
                                                    storedHeight: scale.scaled(header.height))
        guard let rows = try JPEGRegionDecompressor.decodeRows(
            bytes, scale: scale, window: storedWindow, scaledWidth: scale.scaled(header.width), channels: channels,
            path: path
        ) else { return nil }
        var window = rows.cropped(CropWindow(top: 0, left: storedWindow.left, height: storedWindow.height,
                                             width: storedWindow.width))
        if convertsToGrey {
            window = ByteImage(width: window.width, height: window.height, channels: 1,
                               pixels: PixelConversion.luma(window.pixels, pixelCount: window.width * window.height))
        }
        window = window.applyingOrientation(orientation)
        return placement == .cropped
            ? window : window.placed(at: region, inWidth: decodedSize.width, height: decodedSize.height)
    }

    /// An upright JPEG's `region` decoded into the rows of a whole-size image, everything outside its rows zero; nil when the file needs the whole decode.
    private func decodeInPlace(
        _ bytes: [UInt8], scale: JPEGScaleFactor, region: CropWindow, decodedSize: (width: Int, height: Int),
        channels: Int, path: String
    ) throws(ImageDecodingError) -> ByteImage? {
        let rowStride = decodedSize.width * channels
        let byteCount = decodedSize.height * rowStride
        let firstByte = region.top * rowStride
        let endByte = (region.top + region.height) * rowStride
        var decoded = false
        var failure: ImageDecodingError?
        let pixels = [UInt8](unsafeUninitializedCapacity: byteCount) { destination, initialized in
            destination.baseAddress!.initialize(repeating: 0, count: firstByte)
            (destination.baseAddress! + endByte).initialize(repeating: 0, count: byteCount - endByte)
            do throws(ImageDecodingError) {
                decoded = try JPEGRegionDecompressor.decodeRows(
                    bytes, scale: scale, window: region, channels: channels,
                    into: UnsafeMutableBufferPointer(rebasing: destination[firstByte..<endByte]), rowStride: rowStride,
                    path: path
                )
            } catch {
                failure = error
            }
            initialized = decoded ? byteCount : 0
        }
        if let failure { throw failure }
        return decoded
            ? ByteImage(width: decodedSize.width, height: decodedSize.height, channels: channels, pixels: pixels) : nil
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
