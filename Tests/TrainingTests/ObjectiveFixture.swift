import Foundation
import TensorCore
import Testing
import Training

/// timm's and PyTorch's objective values from scripts/fixtures/make_objective_fixtures.py (`Fixtures/objectives.json`).
///
/// Shapes: one batch of `rows × classes` student logits, labels, mixup soft targets and
/// teacher logits, all flat row-major; each case holds the float64 loss and its gradient
/// with respect to the student's logits.
struct ObjectiveFixture: Decodable {
    struct Case: Decodable {
        var name: String
        var hard: String
        var targets: String
        var labelSmoothing: Double
        var targetThreshold: Double?
        var alpha: Double?
        var temperature: Double
        var loss: Double
        var gradient: [Double]
    }

    var rows: Int
    var classes: Int
    var logits: [Double]
    var labels: [Int32]
    var softTargets: [Double]
    var teacherLogits: [Double]
    var cases: [Case]

    static func load() throws -> ObjectiveFixture {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/objectives.json")
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(ObjectiveFixture.self, from: Data(contentsOf: url))
    }

    /// The case named `name`.
    func `case`(_ name: String) throws -> Case {
        try #require(cases.first { $0.name == name }, "no case \(name) in objectives.json")
    }

    /// The batch a case trains on: labels, and the mixup targets when the case uses them.
    func batch(for fixtureCase: Case) -> TrainingBatch {
        TrainingBatch(images: Tensor(zeros: [rows, 1, 1, 1]), labels: labels,
                      softTargets: fixtureCase.targets == "soft" ? softTargets.map { Float($0) } : nil)
    }

    /// The student's own objective the case describes.
    func hardObjective(for fixtureCase: Case) -> any TrainingObjective {
        let smoothing = Float(fixtureCase.labelSmoothing)
        guard fixtureCase.hard == "bce" else { return CrossEntropyObjective(labelSmoothing: smoothing) }
        return BinaryCrossEntropyObjective(labelSmoothing: smoothing,
                                           targetThreshold: fixtureCase.targetThreshold.map { Float($0) })
    }

    var logitsTensor: Tensor { Tensor(shape: [rows, classes], scalars: logits.map { Float($0) }) }
    var teacherTensor: Tensor { Tensor(shape: [rows, classes], scalars: teacherLogits.map { Float($0) }) }
}

/// A teacher that answers every batch with fixed logits (the fixture's), counting its calls.
final class FixedTeacher: DistillationTeacher {
    let answer: Tensor
    private(set) var calls = 0

    init(_ answer: Tensor) {
        self.answer = answer
    }

    func logits(images: Tensor) -> Tensor {
        calls += 1
        return answer
    }
}
