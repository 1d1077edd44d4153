/// A rectangle of whole pixels cut from an image: torchvision's crop parameters `(top, left, height, width)`.
///
/// Shapes: rows `top..<top + height` and columns `left..<left + width`; a window
/// may reach past the image, where `ByteImage.cropped(_:)` fills zeros as PIL's
/// `crop` does. The same value is what `RandomResizedCrop` draws and what
/// `ByteImage.resizedCrop` consumes, so a test can fix the draw and check the pixels.
public struct CropWindow: Sendable, Equatable {
    /// First row.
    public var top: Int
    /// First column.
    public var left: Int
    /// Rows.
    public var height: Int
    /// Columns.
    public var width: Int

    /// A window from torchvision's `(top, left, height, width)`.
    public init(top: Int, left: Int, height: Int, width: Int) {
        self.top = top
        self.left = left
        self.height = height
        self.width = width
    }

    /// Whether the window is not empty and lies entirely within a `width × height` image.
    func fits(imageWidth: Int, imageHeight: Int) -> Bool {
        top >= 0 && left >= 0 && height > 0 && width > 0 && top + height <= imageHeight && left + width <= imageWidth
    }
}
