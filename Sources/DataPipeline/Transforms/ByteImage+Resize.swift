import CResample

/// Resizing as PIL's `Image.resize` does it, byte for byte, and torchvision's size rules on top.
///
/// Shapes: every function returns a new `width × height × channels` image with the
/// input's channel count. The convolution filters run PIL's two passes — horizontal
/// into an 8-bit intermediate image, then vertical — with 22-bit fixed-point
/// weights, rounding by adding half before the shift and clamping each pass to
/// 0...255, and the horizontal pass only over the rows the vertical pass reads.
/// Matching those details rather than resampling in floating point is what makes
/// the outputs equal PIL's exactly, so a recipe trained through torchvision's PIL
/// path sees the same pixels here.
extension ByteImage {
    /// This image resized to `width × height`, reading only `box` of it when given (PIL's `Image.resize(size, resample, box)`).
    ///
    /// Downscaling widens bilinear and bicubic kernels by the scale factor, so the
    /// result is antialiased as PIL's is; pixels just outside the box still weigh
    /// in, up to the image's edge.
    ///
    /// - Precondition: `width` and `height` are positive; `box` is not empty and lies within the image.
    public func resized(width: Int, height: Int, interpolation: Interpolation, box: ResizeBox? = nil) -> ByteImage {
        resampled(region: CropWindow(top: 0, left: 0, height: self.height, width: self.width),
                  box: box ?? ResizeBox(width: self.width, height: self.height),
                  width: width, height: height, interpolation: interpolation)
    }

    /// This image with its shorter side resized to `shorterSide` and the longer one in proportion (torchvision's `Resize(int)`).
    ///
    /// The longer side becomes `⌊shorterSide × long / short⌋` as torchvision 0.14's
    /// `_compute_resized_output_size` computes it; an image already that size comes
    /// back unchanged, as torchvision returns it without calling PIL.
    ///
    /// - Precondition: `shorterSide` is positive and the image is not empty.
    public func resized(shorterSide: Int, interpolation: Interpolation) -> ByteImage {
        let size = Self.size(withShorterSide: shorterSide, width: width, height: height)
        if size.width == width && size.height == height { return self }
        return resized(width: size.width, height: size.height, interpolation: interpolation)
    }

    /// The `window` of this image resized to `width × height`, as torchvision's `resized_crop` does on a PIL image.
    ///
    /// torchvision crops first and resizes the cut-out image, so unlike a resize
    /// with a box no pixel outside the window weighs in; this reads the window in
    /// place, in one pass, without copying it out.
    ///
    /// - Precondition: `window` lies within the image; `width` and `height` are positive.
    public func resizedCrop(_ window: CropWindow, width: Int, height: Int, interpolation: Interpolation) -> ByteImage {
        resampled(region: window, box: ResizeBox(width: window.width, height: window.height),
                  width: width, height: height, interpolation: interpolation)
    }

    /// The output size torchvision gives an image whose shorter side is resized to `shorterSide`.
    ///
    /// - Precondition: `shorterSide`, `width` and `height` are positive.
    public static func size(withShorterSide shorterSide: Int, width: Int, height: Int) -> (width: Int, height: Int) {
        precondition(shorterSide > 0 && width > 0 && height > 0,
                     "resizing needs positive sides, got \(shorterSide) for a \(width)×\(height) image")
        let (short, long) = width <= height ? (width, height) : (height, width)
        let newLong = Int(Double(shorterSide * long) / Double(short))
        return width <= height ? (shorterSide, newLong) : (newLong, shorterSide)
    }

    /// Resamples `box` of the sub-image `region` (which acts as the whole source) to `width × height`.
    ///
    /// Follows PIL's dispatch: a box of whole pixels the size of the output is a
    /// plain crop; nearest goes through PIL's affine scaling; the convolution
    /// filters skip a pass whose axis neither changes size nor moves.
    func resampled(region: CropWindow, box: ResizeBox, width: Int, height: Int, interpolation: Interpolation) -> ByteImage {
        precondition(width > 0 && height > 0, "a resize needs a positive output size, got \(width)×\(height)")
        precondition(region.fits(imageWidth: self.width, imageHeight: self.height),
                     "the source region \(region) must lie within the \(self.width)×\(self.height) image")
        precondition(box.fits(width: region.width, height: region.height),
                     "the box \(box) must lie within the \(region.width)×\(region.height) source and not be empty")
        if box.left == box.left.rounded(.towardZero) && box.right - box.left == Float(width)
            && box.top == box.top.rounded(.towardZero) && box.bottom - box.top == Float(height) {
            return cropped(CropWindow(top: region.top + Int(box.top), left: region.left + Int(box.left),
                                      height: height, width: width))
        }
        guard let kernel = ResampleWeights.Kernel(interpolation) else {
            return nearestResampled(region: region, box: box, width: width, height: height)
        }
        let resizesColumns = width != region.width || box.left != 0 || box.right != Float(width)
        let resizesRows = height != region.height || box.top != 0 || box.bottom != Float(height)
        let rowStride = self.width * channels
        let rowBytes = width * channels
        let output = [UInt8](unsafeUninitializedCapacity: height * rowBytes) { destination, initializedCount in
            pixels.withUnsafeBufferPointer { source in
                let regionStart = source.baseAddress! + region.top * rowStride + region.left * channels
                let sourceEnd = source.baseAddress! + source.count
                let columnWeights = resizesColumns
                    ? ResampleWeights(inputSize: region.width, start: box.left, end: box.right,
                                      outputSize: width, kernel: kernel)
                    : nil
                let rowWeights = resizesRows
                    ? ResampleWeights(inputSize: region.height, start: box.top, end: box.bottom,
                                      outputSize: height, kernel: kernel)
                    : nil
                switch (columnWeights, rowWeights) {
                case (let columnWeights?, nil):
                    Self.resampleRows(source: regionStart, rowStride: rowStride, sourceEnd: sourceEnd, rows: height,
                                      channels: channels, weights: columnWeights, output: destination.baseAddress!)
                case (nil, let rowWeights?):
                    Self.resampleColumns(source: regionStart, rowStride: rowStride, firstRow: 0, rowBytes: rowBytes,
                                         weights: rowWeights, output: destination.baseAddress!)
                case (let columnWeights?, let rowWeights?):
                    Self.resampleBothAxes(source: regionStart, rowStride: rowStride, sourceEnd: sourceEnd,
                                          channels: channels, columnWeights: columnWeights, rowWeights: rowWeights,
                                          output: destination.baseAddress!)
                case (nil, nil):
                    for row in 0..<height {
                        (destination.baseAddress! + row * rowBytes).update(from: regionStart + row * rowStride,
                                                                           count: rowBytes)
                    }
                }
            }
            initializedCount = height * rowBytes
        }
        return ByteImage(width: width, height: height, channels: channels, pixels: output)
    }

    /// Both passes: the rows the vertical pass reads, resampled horizontally into an 8-bit image, then resampled vertically.
    private static func resampleBothAxes(source: UnsafePointer<UInt8>, rowStride: Int, sourceEnd: UnsafePointer<UInt8>,
                                         channels: Int, columnWeights: ResampleWeights, rowWeights: ResampleWeights,
                                         output: UnsafeMutablePointer<UInt8>) {
        let rowBytes = columnWeights.first.count * channels
        let lastRow = rowWeights.first.count - 1
        let rows = rowWeights.first[0]..<(rowWeights.first[lastRow] + rowWeights.count[lastRow])
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: rows.count * rowBytes) { resampledRows in
            resampleRows(source: source + rows.lowerBound * rowStride, rowStride: rowStride, sourceEnd: sourceEnd,
                         rows: rows.count, channels: channels, weights: columnWeights,
                         output: resampledRows.baseAddress!)
            resampleColumns(source: resampledRows.baseAddress!, rowStride: rowBytes, firstRow: rows.lowerBound,
                            rowBytes: rowBytes, weights: rowWeights, output: output)
        }
    }

    /// PIL's horizontal pass: each of `rows` rows of `source` resampled to as many pixels as `weights` has positions.
    ///
    /// Each sum starts at half a unit and is shifted down by the weights' precision,
    /// then clamped to a byte, as Pillow's `clip8` does. Runs in C (`CResample`),
    /// where an SSE4.1 version sums the three channels of a pixel in one instruction
    /// when the CPU has it; `sourceEnd` keeps its 4-byte loads inside the image.
    private static func resampleRows(source: UnsafePointer<UInt8>, rowStride: Int, sourceEnd: UnsafePointer<UInt8>,
                                     rows: Int, channels: Int, weights: ResampleWeights,
                                     output: UnsafeMutablePointer<UInt8>) {
        weights.withCArrays { allWeights, first, count in
            hone_resample_rows(source, rowStride, sourceEnd, Int32(rows), Int32(channels), allWeights,
                               Int32(weights.taps), first, count, Int32(weights.first.count), output,
                               ResampleWeights.precisionBits)
        }
    }

    /// PIL's vertical pass: rows of `rowBytes` bytes resampled by `weights`, whose row numbers start at `firstRow` of `source`.
    ///
    /// Accumulates whole rows at a time, one weight per source row, so the inner
    /// loop runs over contiguous bytes (eight columns per instruction in C's AVX2
    /// version); integer sums make the order irrelevant.
    private static func resampleColumns(source: UnsafePointer<UInt8>, rowStride: Int, firstRow: Int, rowBytes: Int,
                                        weights: ResampleWeights, output: UnsafeMutablePointer<UInt8>) {
        weights.withCArrays { allWeights, first, count in
            hone_resample_columns(source, rowStride, Int32(firstRow), Int32(rowBytes), allWeights, Int32(weights.taps),
                                  first, count, Int32(weights.first.count), output, ResampleWeights.precisionBits)
        }
    }
}
