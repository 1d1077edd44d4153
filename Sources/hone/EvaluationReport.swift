import Foundation
import Training

/// What `hone eval --json` prints: the weights, the recalibration, and every evaluated resolution's metrics.
///
/// One entry per resolution, in sweep order; `size` and `crop_pct` are null for
/// in-memory data evaluated at its fixed size. Keys are snake_case.
struct EvaluationReport: Encodable {
    /// One class's accuracy.
    struct ClassAccuracy: Encodable {
        let name: String
        let top1: Double
    }

    /// The metrics at one resolution.
    struct Result: Encodable {
        let size: Int?
        let cropPct: Double?
        let top1: Double
        let top5: Double
        let loss: Double
        let images: Int
        let perClass: [ClassAccuracy]

        init(resolution: EvaluationResolution?, metrics: EvaluationMetrics, classNames: [String]) {
            size = resolution?.size
            cropPct = resolution?.cropFraction
            top1 = metrics.top1
            top5 = metrics.top5
            loss = metrics.loss
            images = metrics.count
            perClass = zip(classNames, metrics.perClassAccuracy).map { ClassAccuracy(name: $0, top1: $1) }
        }
    }

    let weights: String
    let recalibrationBatches: Int
    let results: [Result]

    /// The report as pretty-printed JSON with sorted keys.
    func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }
}
