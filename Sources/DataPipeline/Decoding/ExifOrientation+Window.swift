extension ExifOrientation {
    /// The stored rectangle that displays as `window` once this orientation is applied.
    ///
    /// Shapes: `window` is in displayed pixels of an image stored `storedWidth ×
    /// storedHeight`; the result is in stored pixels, with width and height swapped
    /// for orientations 5–8. Every orientation is a flip or a quarter turn, which maps
    /// a rectangle onto a rectangle, so orienting the stored rectangle's pixels gives
    /// exactly the displayed window: a region decoder can decode the stored rectangle
    /// and orient only that. The two opposite corners are mapped with the same
    /// pixel correspondence `ByteImage.applyingOrientation` uses.
    ///
    /// - Precondition: `window` lies within the displayed image.
    func storedWindow(ofDisplayed window: CropWindow, storedWidth: Int, storedHeight: Int) -> CropWindow {
        let displayedWidth = swapsWidthAndHeight ? storedHeight : storedWidth
        let displayedHeight = swapsWidthAndHeight ? storedWidth : storedHeight
        precondition(window.fits(imageWidth: displayedWidth, imageHeight: displayedHeight),
                     "the window \(window) must lie within the displayed \(displayedWidth)×\(displayedHeight) image")
        let first = storedPosition(row: window.top, column: window.left, storedWidth: storedWidth,
                                   storedHeight: storedHeight)
        let last = storedPosition(row: window.top + window.height - 1, column: window.left + window.width - 1,
                                  storedWidth: storedWidth, storedHeight: storedHeight)
        let top = min(first.row, last.row)
        let left = min(first.column, last.column)
        return CropWindow(top: top, left: left, height: max(first.row, last.row) - top + 1,
                          width: max(first.column, last.column) - left + 1)
    }

    /// The stored pixel shown at displayed (`row`, `column`).
    private func storedPosition(row: Int, column: Int, storedWidth: Int, storedHeight: Int) -> (row: Int, column: Int) {
        let lastRow = storedHeight - 1
        let lastColumn = storedWidth - 1
        switch self {
        case .identity: return (row, column)
        case .mirrorHorizontally: return (row, lastColumn - column)
        case .rotate180: return (lastRow - row, lastColumn - column)
        case .mirrorVertically: return (lastRow - row, column)
        case .transpose: return (column, row)
        case .rotate90Clockwise: return (lastRow - column, row)
        case .transverse: return (lastRow - column, lastColumn - row)
        case .rotate90CounterClockwise: return (column, lastColumn - row)
        }
    }
}
