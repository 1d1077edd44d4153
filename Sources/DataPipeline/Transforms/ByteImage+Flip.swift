/// Mirroring an image left to right: torchvision's `hflip`, PIL's `FLIP_LEFT_RIGHT`.
///
/// Shapes: output pixel (row, column) is input pixel (row, width − 1 − column),
/// all channels together. The coin that decides whether to flip belongs to the
/// caller's own stream, so the flip here is a plain deterministic operation.
extension ByteImage {
    /// This image mirrored left to right.
    public func horizontallyFlipped() -> ByteImage {
        let rowBytes = width * channels
        let byteCount = pixels.count
        let output = [UInt8](unsafeUninitializedCapacity: byteCount) { destination, initializedCount in
            pixels.withUnsafeBufferPointer { source in
                for row in 0..<height {
                    let input = source.baseAddress! + row * rowBytes
                    let outputRow = destination.baseAddress! + row * rowBytes
                    if channels == 3 {
                        var mirrored = input + rowBytes - 3
                        for column in 0..<width {
                            outputRow[column * 3] = mirrored[0]
                            outputRow[column * 3 + 1] = mirrored[1]
                            outputRow[column * 3 + 2] = mirrored[2]
                            mirrored -= 3
                        }
                    } else {
                        for column in 0..<width {
                            outputRow[column] = input[width - 1 - column]
                        }
                    }
                }
            }
            initializedCount = byteCount
        }
        return ByteImage(width: width, height: height, channels: channels, pixels: output)
    }
}
