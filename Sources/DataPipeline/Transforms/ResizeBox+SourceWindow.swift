import Foundation

extension ResizeBox {
    /// Whole pixels of a `imageWidth × imageHeight` image that resizing this box to `outputWidth × outputHeight` can read.
    ///
    /// Shapes: a window within the image covering the box plus the filter's reach
    /// on every side. PIL's resize with a box reads beyond the box, up to the
    /// filter's support scaled by the downscale factor (bilinear 1, bicubic 2,
    /// nearest 0), so a region decoder that feeds such a resize must decode that
    /// margin too; one more pixel on each side absorbs the rounding of PIL's span
    /// bounds (`Int(centre ± support + 0.5)`). Over-covering costs a few decoded
    /// pixels, under-covering would change output bytes.
    func sourceWindow(imageWidth: Int, imageHeight: Int, outputWidth: Int, outputHeight: Int,
                      interpolation: Interpolation) -> CropWindow {
        let support: Double
        switch interpolation {
        case .nearest: support = 0
        case .bilinear: support = 1
        case .bicubic: support = 2
        }
        func span(start: Float, end: Float, outputSize: Int, inputSize: Int) -> Range<Int> {
            let reach = support * max(Double(end - start) / Double(outputSize), 1)
            let first = max(Int((Double(start) - reach).rounded(.down)) - 1, 0)
            let last = min(Int((Double(end) + reach).rounded(.up)) + 1, inputSize)
            return first..<max(last, first + 1)
        }
        let columns = span(start: left, end: right, outputSize: outputWidth, inputSize: imageWidth)
        let rows = span(start: top, end: bottom, outputSize: outputHeight, inputSize: imageHeight)
        return CropWindow(top: rows.lowerBound, left: columns.lowerBound, height: rows.count, width: columns.count)
    }
}
