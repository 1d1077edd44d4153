extension ByteImage {
    /// The image transformed as `orientation` prescribes, so that it displays upright.
    ///
    /// Shapes: a `width × height` image becomes `height × width` for orientations
    /// 5–8 and keeps its shape otherwise; channels are carried along unchanged.
    /// Every one of the eight transforms maps output pixel (row r, column c) to
    /// source pixel `origin + r × rowStep + c × columnStep` (indices in pixels of
    /// the source), so one loop serves all of them; the result equals PIL's
    /// `Image.transpose` with the method `ImageOps.exif_transpose` picks.
    public func applyingOrientation(_ orientation: ExifOrientation) -> ByteImage {
        guard orientation != .identity, width > 0, height > 0 else { return self }
        let lastRow = (height - 1) * width
        let lastColumn = width - 1
        let (origin, rowStep, columnStep): (Int, Int, Int)
        switch orientation {
        case .identity: (origin, rowStep, columnStep) = (0, width, 1)
        case .mirrorHorizontally: (origin, rowStep, columnStep) = (lastColumn, width, -1)
        case .rotate180: (origin, rowStep, columnStep) = (lastRow + lastColumn, -width, -1)
        case .mirrorVertically: (origin, rowStep, columnStep) = (lastRow, -width, 1)
        case .transpose: (origin, rowStep, columnStep) = (0, 1, width)
        case .rotate90Clockwise: (origin, rowStep, columnStep) = (lastRow, 1, -width)
        case .transverse: (origin, rowStep, columnStep) = (lastRow + lastColumn, -1, -width)
        case .rotate90CounterClockwise: (origin, rowStep, columnStep) = (lastColumn, -1, width)
        }
        let outputWidth = orientation.swapsWidthAndHeight ? height : width
        let outputHeight = orientation.swapsWidthAndHeight ? width : height
        let channels = self.channels
        var output = [UInt8](repeating: 0, count: pixels.count)
        pixels.withUnsafeBufferPointer { source in
            output.withUnsafeMutableBufferPointer { destination in
                var written = 0
                for row in 0..<outputHeight {
                    var sourcePixel = origin + row * rowStep
                    for _ in 0..<outputWidth {
                        let sourceByte = sourcePixel * channels
                        for channel in 0..<channels {
                            destination[written + channel] = source[sourceByte + channel]
                        }
                        written += channels
                        sourcePixel += columnStep
                    }
                }
            }
        }
        return ByteImage(width: outputWidth, height: outputHeight, channels: channels, pixels: output)
    }
}
