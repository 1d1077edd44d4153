import Foundation

/// PIL's `Image.transform(size, AFFINE, matrix, resample, fillcolor=…)` at the image's own size, as timm's shear and translate ops and torchvision's `affine` call it.
///
/// Shapes: an image in, one of the same size and channels out; every output
/// pixel starts as the fill and is overwritten where the matrix lands inside the
/// input. Three engines, as in Pillow 9's `Geometry.c`, because they round
/// differently and each is what PIL runs for that case: bilinear and bicubic
/// sample the input at the mapped pixel centre in double precision (PIL's
/// `ImagingGenericTransform`, edges clamped, points outside the input left to the
/// fill); nearest with a pure scale-and-shift matrix tabulates source columns and
/// rows by accumulating the step (`ImagingScaleAffine`); any other nearest matrix
/// walks the image in 16.16 fixed point (`affine_fixed`), or in double when a
/// corner falls outside the fixed-point range.
extension ByteImage {
    /// This image resampled through `matrix` with `interpolation`, uncovered pixels painted with `fill`.
    public func affineTransformed(_ matrix: AffineMatrix, interpolation: Interpolation, fill: FillColor) -> ByteImage {
        let fillBytes = fill.bytes(channels: channels)
        var output = [UInt8](repeating: 0, count: pixels.count)
        for start in stride(from: 0, to: output.count, by: channels) {
            for channel in 0..<channels { output[start + channel] = fillBytes[channel] }
        }
        switch interpolation {
        case .nearest:
            if matrix.b == 0 && matrix.d == 0 {
                nearestScaleAndShift(matrix, into: &output)
            } else if fitsFixedPoint(matrix) {
                nearestFixedPoint(matrix, into: &output)
            } else {
                nearestFloatingPoint(matrix, into: &output)
            }
        case .bilinear, .bicubic:
            for row in 0..<height {
                let rowCentre = Double(row) + 0.5
                for column in 0..<width {
                    let columnCentre = Double(column) + 0.5
                    let sourceX = matrix.a * columnCentre + matrix.b * rowCentre + matrix.c
                    let sourceY = matrix.d * columnCentre + matrix.e * rowCentre + matrix.f
                    let start = (row * width + column) * channels
                    if interpolation == .bilinear {
                        sampleBilinear(x: sourceX, y: sourceY, into: &output, at: start)
                    } else {
                        sampleBicubic(x: sourceX, y: sourceY, into: &output, at: start)
                    }
                }
            }
        }
        return ByteImage(width: width, height: height, channels: channels, pixels: output)
    }

    /// PIL's `FLOOR`: the floor of `value` as an integer.
    @inline(__always)
    static func pilFloor(_ value: Double) -> Int {
        Int(value.rounded(.down))
    }

    /// PIL's `COORD`: -1 for a negative value, else the value truncated.
    @inline(__always)
    private static func pilCoordinate(_ value: Double) -> Int {
        value < 0 ? -1 : Int(value)
    }

    /// Copies one pixel of this image into `output` at byte `start`.
    @inline(__always)
    private func copyPixel(row: Int, column: Int, into output: inout [UInt8], at start: Int) {
        let source = (row * width + column) * channels
        for channel in 0..<channels { output[start + channel] = pixels[source + channel] }
    }

    /// `ImagingScaleAffine`: nearest sampling for a matrix without rotation or shear, positions accumulated step by step.
    private func nearestScaleAndShift(_ matrix: AffineMatrix, into output: inout [UInt8]) {
        var sourceColumns = [Int](repeating: 0, count: width)
        var firstColumn = width
        var endColumn = 0
        var sourceX = matrix.c + matrix.a * 0.5
        for column in 0..<width {
            let coordinate = Self.pilCoordinate(sourceX)
            if coordinate >= 0 && coordinate < width {
                endColumn = column + 1
                firstColumn = min(firstColumn, column)
                sourceColumns[column] = coordinate
            }
            sourceX += matrix.a
        }
        var sourceY = matrix.f + matrix.e * 0.5
        for row in 0..<height {
            let sourceRow = Self.pilCoordinate(sourceY)
            if sourceRow >= 0 && sourceRow < height && firstColumn < endColumn {
                for column in firstColumn..<endColumn {
                    copyPixel(row: sourceRow, column: sourceColumns[column], into: &output,
                              at: (row * width + column) * channels)
                }
            }
            sourceY += matrix.e
        }
    }

    /// PIL's `check_fixed` at the four corners: whether every mapped coordinate stays below 32768 in magnitude.
    private func fitsFixedPoint(_ matrix: AffineMatrix) -> Bool {
        for (x, y) in [(0, 0), (width, height), (0, height), (width, 0)] {
            let column = Double(x)
            let row = Double(y)
            if abs(column * matrix.a + row * matrix.b + matrix.c) >= 32768 { return false }
            if abs(column * matrix.d + row * matrix.e + matrix.f) >= 32768 { return false }
        }
        return true
    }

    /// `affine_fixed`: nearest sampling with the matrix in 16.16 fixed point, stepped by integer additions.
    private func nearestFixedPoint(_ matrix: AffineMatrix, into output: inout [UInt8]) {
        func fixed(_ value: Double) -> Int32 { Int32(truncatingIfNeeded: Self.pilFloor(value * 65536.0 + 0.5)) }
        let stepXAlongRow = fixed(matrix.a)
        let stepXDown = fixed(matrix.b)
        let stepYAlongRow = fixed(matrix.d)
        let stepYDown = fixed(matrix.e)
        var rowStartX = fixed(matrix.c + matrix.a * 0.5 + matrix.b * 0.5)
        var rowStartY = fixed(matrix.f + matrix.d * 0.5 + matrix.e * 0.5)
        for row in 0..<height {
            var x = rowStartX
            var y = rowStartY
            for column in 0..<width {
                let sourceColumn = Int(x >> 16)
                if sourceColumn >= 0 && sourceColumn < width {
                    let sourceRow = Int(y >> 16)
                    if sourceRow >= 0 && sourceRow < height {
                        copyPixel(row: sourceRow, column: sourceColumn, into: &output, at: (row * width + column) * channels)
                    }
                }
                x &+= stepXAlongRow
                y &+= stepYAlongRow
            }
            rowStartX &+= stepXDown
            rowStartY &+= stepYDown
        }
    }

    /// PIL's floating-point nearest walk, used only when a corner leaves the fixed-point range.
    private func nearestFloatingPoint(_ matrix: AffineMatrix, into output: inout [UInt8]) {
        var rowStartX = matrix.c + matrix.b * 0.5 + matrix.a * 0.5
        var rowStartY = matrix.f + matrix.e * 0.5 + matrix.d * 0.5
        for row in 0..<height {
            var x = rowStartX
            var y = rowStartY
            for column in 0..<width {
                let sourceColumn = Self.pilCoordinate(x)
                if sourceColumn >= 0 && sourceColumn < width {
                    let sourceRow = Self.pilCoordinate(y)
                    if sourceRow >= 0 && sourceRow < height {
                        copyPixel(row: sourceRow, column: sourceColumn, into: &output, at: (row * width + column) * channels)
                    }
                }
                x += matrix.a
                y += matrix.d
            }
            rowStartX += matrix.b
            rowStartY += matrix.e
        }
    }

    /// Whether the point lies inside the input: PIL's filters leave the fill for any other point.
    @inline(__always)
    private func covers(x: Double, y: Double) -> Bool {
        !(x < 0 || x >= Double(width) || y < 0 || y >= Double(height))
    }

    /// The byte offset of a column clamped to the image, as PIL's `XCLIP` does.
    @inline(__always)
    private func clampedColumnOffset(_ column: Int) -> Int {
        min(max(column, 0), width - 1) * channels
    }

    /// The byte offset of a row clamped to the image, as PIL's `YCLIP` does.
    @inline(__always)
    private func clampedRowOffset(_ row: Int) -> Int {
        min(max(row, 0), height - 1) * width * channels
    }

    /// PIL's `bilinear_filter8`/`bilinear_filter32RGB` at one point: two horizontal blends, one vertical, truncated.
    private func sampleBilinear(x: Double, y: Double, into output: inout [UInt8], at start: Int) {
        guard covers(x: x, y: y) else { return }
        let shiftedX = x - 0.5
        let shiftedY = y - 0.5
        let column = Self.pilFloor(shiftedX)
        let row = Self.pilFloor(shiftedY)
        let dx = shiftedX - Double(column)
        let dy = shiftedY - Double(row)
        let left = clampedColumnOffset(column)
        let right = clampedColumnOffset(column + 1)
        let upperRow = clampedRowOffset(row)
        let lowerRow = row + 1 >= 0 && row + 1 < height ? (row + 1) * width * channels : nil
        for channel in 0..<channels {
            let upperLeft = Double(pixels[upperRow + left + channel])
            let upper = upperLeft + (Double(pixels[upperRow + right + channel]) - upperLeft) * dx
            var lower = upper
            if let lowerRow {
                let lowerLeft = Double(pixels[lowerRow + left + channel])
                lower = lowerLeft + (Double(pixels[lowerRow + right + channel]) - lowerLeft) * dx
            }
            output[start + channel] = UInt8(upper + (lower - upper) * dy)
        }
    }

    /// PIL's `BICUBIC` polynomial through four samples at fraction `d` (its cubic with a = -1).
    @inline(__always)
    private static func cubic(_ v1: Double, _ v2: Double, _ v3: Double, _ v4: Double, _ d: Double) -> Double {
        let p1 = v2
        let p2 = -v1 + v3
        let p3 = 2 * (v1 - v2) + v3 - v4
        let p4 = -v1 + v2 - v3 + v4
        return p1 + d * (p2 + d * (p3 + d * p4))
    }

    /// PIL's `bicubic_filter8`/`bicubic_filter32RGB` at one point: four horizontal cubics, one vertical, clamped and truncated.
    ///
    /// A missing row below the image repeats the row above it, as PIL's macro does.
    private func sampleBicubic(x: Double, y: Double, into output: inout [UInt8], at start: Int) {
        guard covers(x: x, y: y) else { return }
        let shiftedX = x - 0.5
        let shiftedY = y - 0.5
        let column = Self.pilFloor(shiftedX) - 1
        let row = Self.pilFloor(shiftedY) - 1
        let dx = shiftedX - Double(column + 1)
        let dy = shiftedY - Double(row + 1)
        let columns = (clampedColumnOffset(column), clampedColumnOffset(column + 1),
                       clampedColumnOffset(column + 2), clampedColumnOffset(column + 3))
        let rowStride = width * channels
        let firstRow = clampedRowOffset(row)
        let hasSecond = row + 1 >= 0 && row + 1 < height
        let hasThird = row + 2 >= 0 && row + 2 < height
        let hasFourth = row + 3 >= 0 && row + 3 < height
        for channel in 0..<channels {
            func horizontal(_ rowOffset: Int) -> Double {
                let base = rowOffset + channel
                return Self.cubic(Double(pixels[base + columns.0]), Double(pixels[base + columns.1]),
                                  Double(pixels[base + columns.2]), Double(pixels[base + columns.3]), dx)
            }
            let first = horizontal(firstRow)
            let second = hasSecond ? horizontal((row + 1) * rowStride) : first
            let third = hasThird ? horizontal((row + 2) * rowStride) : second
            let fourth = hasFourth ? horizontal((row + 3) * rowStride) : third
            let value = Self.cubic(first, second, third, fourth, dy)
            output[start + channel] = value <= 0 ? 0 : value >= 255 ? 255 : UInt8(value)
        }
    }
}
