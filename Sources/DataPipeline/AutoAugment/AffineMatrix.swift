/// The six coefficients PIL's `Image.transform(size, AFFINE, data)` takes: where each output pixel samples the input.
///
/// Shapes: an output pixel's centre (x + 0.5, y + 0.5) maps to the input point
/// (`a·x + b·y + c`, `d·x + e·y + f`) in PIL's continuous coordinates, whose
/// pixel (i, j) covers `[i, i + 1) × [j, j + 1)`. The matrix is the inverse of the
/// visible motion — shifting the image right by 5 pixels is `c = -5` — because
/// resampling asks, for every output pixel, where it comes from.
public struct AffineMatrix: Sendable, Equatable {
    /// Input x per output x.
    public var a: Double
    /// Input x per output y.
    public var b: Double
    /// Input x offset.
    public var c: Double
    /// Input y per output x.
    public var d: Double
    /// Input y per output y.
    public var e: Double
    /// Input y offset.
    public var f: Double

    /// The matrix `(a, b, c, d, e, f)`, in PIL's order.
    public init(a: Double, b: Double, c: Double, d: Double, e: Double, f: Double) {
        self.a = a
        self.b = b
        self.c = c
        self.d = d
        self.e = e
        self.f = f
    }

    /// The identity: every output pixel samples the same input pixel.
    public static let identity = AffineMatrix(a: 1, b: 0, c: 0, d: 0, e: 1, f: 0)
}
