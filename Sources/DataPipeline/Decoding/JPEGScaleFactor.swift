/// A scale TurboJPEG can apply inside the inverse DCT: 1, 1/2, 1/4 or 1/8.
///
/// TurboJPEG also offers factors such as 3/8 or 7/8, but only these four keep
/// its SIMD paths: a reduced inverse DCT computes 4×4, 2×2 or 1×1 outputs per
/// 8×8 block directly. Scaled sides round up, TurboJPEG's `TJSCALED`:
/// `ceil(side × 1 / denominator)`, so a 41×27 image at 1/8 decodes to 6×4.
/// TurboJPEG is asked for exactly that output size; for images only a few
/// pixels wide another factor (say 5/8) can give the same size, and TurboJPEG
/// then uses the larger one: same size, marginally different pixels.
///
/// The choice is the smallest output covering the requirement. PIL's `draft`
/// is stricter: it picks the largest 1/s with `s ≤ side / requested side` in
/// whole numbers (floor), so for a 501-wide image and 251 requested PIL decodes
/// at full size where Hone decodes at 1/2 to 251; when both pick the same factor
/// the pixels are identical.
public struct JPEGScaleFactor: Equatable, Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The denominator of the factor 1/denominator: 1, 2, 4 or 8.
    public let denominator: Int

    /// Full resolution.
    public static let full = JPEGScaleFactor(denominator: 1)
    /// Half of each side.
    public static let half = JPEGScaleFactor(denominator: 2)
    /// A quarter of each side.
    public static let quarter = JPEGScaleFactor(denominator: 4)
    /// An eighth of each side.
    public static let eighth = JPEGScaleFactor(denominator: 8)

    /// The factors, smallest output first.
    public static let all: [JPEGScaleFactor] = [.eighth, .quarter, .half, .full]

    private init(denominator: Int) {
        self.denominator = denominator
    }

    /// A side's length after scaling: `ceil(side / denominator)`, as TurboJPEG's `TJSCALED` computes it.
    public func scaled(_ side: Int) -> Int {
        (side + denominator - 1) / denominator
    }

    /// The smallest factor whose output still meets `minimum`, full resolution when none smaller does.
    ///
    /// - Parameters:
    ///   - width: the stored width.
    ///   - height: the stored height.
    ///   - minimum: the requirement, in displayed pixels.
    ///   - swapsWidthAndHeight: whether orientation will swap the sides after
    ///     decoding (orientations 5–8), so the requirement applies crosswise.
    ///   - candidates: the factors to choose from; all four by default.
    public static func smallest(
        forStoredWidth width: Int, height: Int, meeting minimum: MinimumDecodedSize, swapsWidthAndHeight: Bool,
        among candidates: [JPEGScaleFactor] = all
    ) -> JPEGScaleFactor {
        candidates.sorted().first { factor in
            let displayedWidth = factor.scaled(swapsWidthAndHeight ? height : width)
            let displayedHeight = factor.scaled(swapsWidthAndHeight ? width : height)
            switch minimum {
            case .fullResolution:
                return factor == .full
            case let .atLeast(minimumWidth, minimumHeight):
                return displayedWidth >= minimumWidth && displayedHeight >= minimumHeight
            case let .shorterSideAtLeast(minimumSide):
                return min(displayedWidth, displayedHeight) >= minimumSide
            }
        } ?? .full
    }

    /// Orders factors by the size of their output: `eighth < quarter < half < full`.
    public static func < (lhs: JPEGScaleFactor, rhs: JPEGScaleFactor) -> Bool {
        lhs.denominator > rhs.denominator
    }

    /// `1/2` and the like; `1` for full resolution.
    public var description: String {
        denominator == 1 ? "1" : "1/\(denominator)"
    }
}
