/// One set of weights evaluated at every (test size, crop fraction) pair, batch norms optionally recalibrated per pair.
///
/// Shapes: `sizes.count × cropFractions.count` cells, sizes outer, in the order given.
/// Why per pair and not per size: the crop fraction changes the apparent object size
/// as much as the test size does (224 at 0.875 shows objects 1/0.875 larger than 224
/// at 1.0), so each cell's statistics are measured on exactly the images it is
/// evaluated on, and every cell equals a single `Evaluator.evaluate(at:recalibrationBatches:)`.
/// The weights stay loaded throughout; the trained statistics are put back after
/// each recalibrated cell.
public struct EvaluationSweep: Sendable, Equatable {
    /// One evaluated pair.
    public struct Cell: Sendable, Equatable {
        public var resolution: EvaluationResolution
        public var metrics: EvaluationMetrics

        public init(resolution: EvaluationResolution, metrics: EvaluationMetrics) {
            self.resolution = resolution
            self.metrics = metrics
        }
    }

    /// Test sizes in pixels, one row each.
    public let sizes: [Int]
    /// Centre-crop fractions (timm's `crop_pct`), one column each.
    public let cropFractions: [Double]
    /// Training batches each cell's batch norms are recalibrated on first; 0 evaluates the trained statistics.
    public let recalibrationBatches: Int

    public init(sizes: [Int], cropFractions: [Double], recalibrationBatches: Int = 0) throws(EvaluationSweepError) {
        guard !sizes.isEmpty else { throw .noSizes }
        guard !cropFractions.isEmpty else { throw .noCropFractions }
        if let size = sizes.first(where: { $0 <= 0 }) { throw .sizeNotPositive(size) }
        if let fraction = cropFractions.first(where: { !($0 > 0 && $0 <= 1) }) { throw .cropFractionOutOfRange(fraction) }
        if let size = sizes.enumerated().first(where: { sizes[..<$0.offset].contains($0.element) })?.element {
            throw .repeatedSize(size)
        }
        if let fraction = cropFractions.enumerated().first(where: { cropFractions[..<$0.offset].contains($0.element) })?
            .element {
            throw .repeatedCropFraction(fraction)
        }
        guard recalibrationBatches >= 0 else { throw .recalibrationBatchesNegative(recalibrationBatches) }
        self.sizes = sizes
        self.cropFractions = cropFractions
        self.recalibrationBatches = recalibrationBatches
    }

    /// Every pair, sizes outer and crop fractions inner.
    public var resolutions: [EvaluationResolution] {
        sizes.flatMap { size in cropFractions.map { EvaluationResolution(size: size, cropFraction: $0) } }
    }

    /// Evaluates `evaluator`'s loaded weights at every pair, handing each cell to `finished` as it completes.
    public func run(_ evaluator: Evaluator, finished: (Cell) -> Void = { _ in }) throws -> [Cell] {
        try resolutions.map { resolution in
            let cell = Cell(resolution: resolution,
                            metrics: try evaluator.evaluate(at: resolution, recalibrationBatches: recalibrationBatches))
            finished(cell)
            return cell
        }
    }
}

/// A sweep that cannot run as asked; each case names the offending value and what was expected.
public enum EvaluationSweepError: Error, CustomStringConvertible, Equatable, Sendable {
    case noSizes
    case noCropFractions
    case sizeNotPositive(Int)
    case cropFractionOutOfRange(Double)
    case repeatedSize(Int)
    case repeatedCropFraction(Double)
    case recalibrationBatchesNegative(Int)

    public var description: String {
        switch self {
        case .noSizes: "no test size given; expected at least one, e.g. 160,224"
        case .noCropFractions: "no crop fraction given; expected at least one, e.g. 0.875,1.0"
        case .sizeNotPositive(let size): "test size \(size) is not a positive number of pixels"
        case .cropFractionOutOfRange(let fraction): "crop fraction \(fraction) is outside (0, 1]"
        case .repeatedSize(let size): "test size \(size) is given twice"
        case .repeatedCropFraction(let fraction): "crop fraction \(fraction) is given twice"
        case .recalibrationBatchesNegative(let count): "\(count) recalibration batches; expected 0 (none) or more"
        }
    }
}
