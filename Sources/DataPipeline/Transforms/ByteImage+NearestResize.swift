/// Nearest-neighbour resizing as PIL does it for `Image.resize(size, NEAREST, box)`.
///
/// Shapes: output pixel (row, column) copies one source pixel of the region.
/// PIL does not compute each source coordinate directly: it runs an affine scale
/// whose coordinate starts at `box.left + step / 2` and adds `step` per output
/// column (likewise for rows), truncating each sum. The accumulated double can land
/// on a different pixel than `left + (column + 0.5) × step` would, so this repeats
/// the accumulation to pick the same pixels.
extension ByteImage {
    /// The `box` of the sub-image `region` scaled to `width × height` by nearest neighbour.
    ///
    /// A coordinate that falls outside the region (possible only through the
    /// accumulation's rounding at the far edge) leaves a zero pixel, as PIL's
    /// zero-filled affine transform does.
    func nearestResampled(region: CropWindow, box: ResizeBox, width: Int, height: Int) -> ByteImage {
        let columns = Self.nearestCoordinates(start: box.left, end: box.right, outputSize: width, inputSize: region.width)
        let rows = Self.nearestCoordinates(start: box.top, end: box.bottom, outputSize: height, inputSize: region.height)
        var output = [UInt8](repeating: 0, count: width * height * channels)
        for (outputRow, sourceRow) in rows.enumerated() {
            guard let sourceRow else { continue }
            let sourceStart = ((region.top + sourceRow) * self.width + region.left) * channels
            let outputStart = outputRow * width * channels
            for (outputColumn, sourceColumn) in columns.enumerated() {
                guard let sourceColumn else { continue }
                for channel in 0..<channels {
                    output[outputStart + outputColumn * channels + channel] =
                        pixels[sourceStart + sourceColumn * channels + channel]
                }
            }
        }
        return ByteImage(width: width, height: height, channels: channels, pixels: output)
    }

    /// The source position each of `outputSize` positions copies, or nil where PIL's coordinate leaves `0..<inputSize`.
    ///
    /// The step is the span's length in single precision (PIL's float box) divided
    /// in double; negative coordinates map to -1 before truncation, as PIL's `COORD` does.
    private static func nearestCoordinates(start: Float, end: Float, outputSize: Int, inputSize: Int) -> [Int?] {
        let step = Double(end - start) / Double(outputSize)
        var coordinate = Double(start) + step * 0.5
        var positions = [Int?]()
        positions.reserveCapacity(outputSize)
        for _ in 0..<outputSize {
            let position = coordinate < 0 ? -1 : Int(coordinate)
            positions.append(position >= 0 && position < inputSize ? position : nil)
            coordinate += step
        }
        return positions
    }
}
