import Layers
import Models
import TensorCore
import Training

/// A narrow ResNet-18 for one-channel 16×16 images and 10 classes (8-16-32-64 channels), built from `seed`.
///
/// `groups` > 0 swaps batch norm for group norm, so a batch's images do not interact.
func tinyResNet(groups: Int = 0, seed: UInt64 = 3) -> ResNet {
    _ = trainingBackend
    var configuration = ModelRegistry.configuration(id: "resnet18", classes: 10, inputChannels: 1)!
    configuration.stem = .smallImage
    configuration.widthMultiplier = 0.125
    if groups > 0 { configuration.normalization = .group(groups: groups) }
    return ModelRegistry.makeModel(configuration, seed: seed)
}

/// `count` images of standard-normal pixels with random labels and, when asked, random soft targets.
func randomBatch(count: Int, seed: UInt64, softTargets: Bool = false) -> TrainingBatch {
    var generator = SeededGenerator(seed: seed)
    let pixels = (0..<count * 16 * 16).map { _ in Float(generator.normal()) }
    let labels = (0..<count).map { _ in Int32.random(in: 0..<10, using: &generator) }
    var targets: [Float]?
    if softTargets {
        targets = (0..<count).flatMap { _ -> [Float] in
            let raw = (0..<10).map { _ in Float.random(in: 0.01..<1, using: &generator) }
            let total = raw.reduce(0, +)
            return raw.map { $0 / total }
        }
    }
    return TrainingBatch(images: Tensor(shape: [count, 1, 16, 16], scalars: pixels), labels: labels,
                         softTargets: targets)
}

/// Every parameter's values by path.
func parameterValues(_ model: some Layer) -> [String: [Float]] {
    Dictionary(uniqueKeysWithValues: model.namedParameters().map { ($0.path, $0.parameter.value.scalars) })
}

/// Every parameter's gradient by path (parameters without one are left out).
func gradientValues(_ model: some Layer) -> [String: [Float]] {
    Dictionary(uniqueKeysWithValues: model.namedParameters().compactMap { entry in
        entry.parameter.gradient.map { (entry.path, Compute.backend.reorder($0, to: .plain).scalars) }
    })
}

/// The L2 norm of `values`, summed in Float64.
func l2Norm(_ values: [Float]) -> Double {
    values.reduce(0) { $0 + Double($1) * Double($1) }.squareRoot()
}

/// ‖a − b‖ / ‖b‖ in Float64 (0 when both are zero).
func relativeDifference(_ actual: [Float], _ expected: [Float]) -> Double {
    precondition(actual.count == expected.count, "compared tensors differ in size")
    var difference = 0.0
    var reference = 0.0
    for (a, b) in zip(actual, expected) {
        difference += (Double(a) - Double(b)) * (Double(a) - Double(b))
        reference += Double(b) * Double(b)
    }
    return reference == 0 ? difference.squareRoot() : (difference / reference).squareRoot()
}

/// The largest `relativeDifference` over the tensors both dictionaries hold (they must hold the same names).
func largestRelativeDifference(_ actual: [String: [Float]], _ expected: [String: [Float]]) -> Double {
    precondition(Set(actual.keys) == Set(expected.keys), "compared models differ in their tensors")
    return expected.keys.map { relativeDifference(actual[$0]!, expected[$0]!) }.max() ?? 0
}
