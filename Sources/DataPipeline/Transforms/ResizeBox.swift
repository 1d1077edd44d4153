/// The part of a source image a resize reads: PIL's `box` argument to `Image.resize`, in pixel-edge coordinates.
///
/// Shapes: `left < right` within `0...width` and `top < bottom` within `0...height`
/// of the image being resized; (0, 0, width, height) is the whole image. Single
/// precision because PIL parses the box into C floats, so a box such as 0.1 is
/// rounded exactly where PIL rounds it and the resampling weights agree bit for bit.
public struct ResizeBox: Sendable, Equatable {
    /// Left edge, in columns from the image's left edge.
    public var left: Float
    /// Top edge, in rows from the image's top edge.
    public var top: Float
    /// Right edge (exclusive), in columns.
    public var right: Float
    /// Bottom edge (exclusive), in rows.
    public var bottom: Float

    /// A box from its four edges, in PIL's (left, top, right, bottom) order.
    public init(left: Float, top: Float, right: Float, bottom: Float) {
        self.left = left
        self.top = top
        self.right = right
        self.bottom = bottom
    }

    /// The box covering a whole `width × height` image.
    public init(width: Int, height: Int) {
        self.init(left: 0, top: 0, right: Float(width), bottom: Float(height))
    }

    /// Whether this box lies within a `width × height` image and is not empty, as PIL requires.
    func fits(width: Int, height: Int) -> Bool {
        left >= 0 && top >= 0 && right <= Float(width) && bottom <= Float(height) && right > left && bottom > top
    }
}
