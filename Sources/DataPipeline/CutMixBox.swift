/// The rectangle CutMix pastes from the partner image: rows `top..<bottom`, columns `left..<right`.
///
/// Shapes: bounds are pixel indices of the (equal-sized) images, half-open, and may
/// be empty after clipping. Drawn as timm draws it: either a box whose sides are
/// `⌊side · √(1 − λ)⌋` centred on a uniformly random pixel and clipped to the
/// image (`rand_bbox`), or sides drawn uniformly between two fractions of the
/// image and placed wholly inside it (`rand_bbox_minmax`).
struct CutMixBox: Equatable, Sendable {
    var top: Int
    var bottom: Int
    var left: Int
    var right: Int

    /// Pixels inside the box.
    var area: Int { max(0, bottom - top) * max(0, right - left) }

    /// The box for mixing weight `lambda`, centred on a random pixel and clipped to `height × width`.
    static func centred(lambda: Double, height: Int, width: Int,
                        using generator: inout CounterRandomGenerator) -> CutMixBox {
        let ratio = (1 - lambda).squareRoot()
        let (cutHeight, cutWidth) = (Int(Double(height) * ratio), Int(Double(width) * ratio))
        let centreRow = generator.uniform(below: height)
        let centreColumn = generator.uniform(below: width)
        func clip(_ value: Int, _ side: Int) -> Int { min(max(value, 0), side) }
        return CutMixBox(top: clip(centreRow - cutHeight / 2, height), bottom: clip(centreRow + cutHeight / 2, height),
                         left: clip(centreColumn - cutWidth / 2, width), right: clip(centreColumn + cutWidth / 2, width))
    }

    /// A box whose sides are uniform in `[⌊side · minimum⌋, ⌊side · maximum⌋)`, placed inside `height × width`.
    static func withinFractions(_ minimum: Double, _ maximum: Double, height: Int, width: Int,
                                using generator: inout CounterRandomGenerator) -> CutMixBox {
        func side(_ length: Int) -> Int {
            let (low, high) = (Int(Double(length) * minimum), Int(Double(length) * maximum))
            return low + generator.uniform(below: max(high - low, 1))
        }
        let (cutHeight, cutWidth) = (side(height), side(width))
        let top = generator.uniform(below: max(height - cutHeight, 1))
        let left = generator.uniform(below: max(width - cutWidth, 1))
        return CutMixBox(top: top, bottom: top + cutHeight, left: left, right: left + cutWidth)
    }
}
