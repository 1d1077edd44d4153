/// Cropping as PIL's `Image.crop` does it, and torchvision's centre crop on top.
///
/// Shapes: the result is `window.height × window.width × channels`; pixels of the
/// window outside the image are zero, which is both what PIL's crop gives for a
/// box past the edge and what torchvision's `center_crop` pads with (fill 0).
extension ByteImage {
    /// The pixels of `window`, zero where it reaches past the image.
    ///
    /// - Precondition: the window's height and width are not negative.
    public func cropped(_ window: CropWindow) -> ByteImage {
        precondition(window.height >= 0 && window.width >= 0, "a crop window needs non-negative sides, got \(window)")
        var output = [UInt8](repeating: 0, count: window.height * window.width * channels)
        let firstColumn = max(window.left, 0)
        let endColumn = min(window.left + window.width, width)
        let firstRow = max(window.top, 0)
        let endRow = min(window.top + window.height, height)
        if firstColumn < endColumn && firstRow < endRow {
            let copiedBytes = (endColumn - firstColumn) * channels
            for row in firstRow..<endRow {
                let source = (row * width + firstColumn) * channels
                let destination = ((row - window.top) * window.width + firstColumn - window.left) * channels
                output.replaceSubrange(destination..<(destination + copiedBytes),
                                       with: pixels[source..<(source + copiedBytes)])
            }
        }
        return ByteImage(width: window.width, height: window.height, channels: channels, pixels: output)
    }

    /// The window torchvision's `CenterCrop((height, width))` cuts from this image, possibly reaching past its edges.
    ///
    /// Along an axis where the crop fits, its start is `round((side − crop) / 2)`
    /// with Python's round half to even (so 2.5 rounds to 2); along one where it is
    /// larger, torchvision pads `(crop − side) / 2` zeros before (rounded down) and
    /// the rest after, which is the window starting that far before the edge.
    ///
    /// - Precondition: `height` and `width` are positive.
    public func centerCropWindow(height: Int, width: Int) -> CropWindow {
        precondition(height > 0 && width > 0, "a centre crop needs positive sides, got \(width)×\(height)")
        func start(side: Int, crop: Int) -> Int {
            crop > side ? -((crop - side) / 2) : Int((Double(side - crop) / 2).rounded(.toNearestOrEven))
        }
        return CropWindow(top: start(side: self.height, crop: height), left: start(side: self.width, crop: width),
                          height: height, width: width)
    }

    /// The centre `width × height` of this image, zero-padded where it is smaller (torchvision's `CenterCrop`).
    ///
    /// - Precondition: `height` and `width` are positive.
    public func centerCropped(height: Int, width: Int) -> ByteImage {
        cropped(centerCropWindow(height: height, width: width))
    }
}
