import Foundation
import TensorCore

/// How a parameter's initial values are drawn, with PyTorch's definitions of fan-in and fan-out.
///
/// Fan-in of an OIHW weight is I·H·W, fan-out O·H·W (for [out, in] weights: in and out).
public enum Initializer: Sendable {
    case zeros
    case ones
    /// U(−bound, bound).
    case uniform(bound: Double)
    /// `kaiming_uniform_(a:)` with fan-in: bound = √(6 / ((1 + a²)·fan_in)). a = √5 is PyTorch's default for conv and linear weights.
    case kaimingUniform(negativeSlope: Double)
    /// `kaiming_normal_(mode: fan_out, nonlinearity: relu)`: N(0, 2 / fan_out), torchvision's ResNet convs.
    case kaimingNormalFanOut

    /// A plain float32 tensor of `shape` drawn from this distribution.
    public func tensor(shape: Shape, using generator: inout SeededGenerator) -> Tensor {
        let count = shape.elementCount
        let receptiveField = shape.rank > 2 ? shape.dimensions.dropFirst(2).reduce(1, *) : 1
        let fanIn = shape.rank >= 2 ? shape[1] * receptiveField : max(count, 1)
        let fanOut = shape.rank >= 2 ? shape[0] * receptiveField : max(count, 1)
        let scalars: [Float]
        switch self {
        case .zeros:
            scalars = [Float](repeating: 0, count: count)
        case .ones:
            scalars = [Float](repeating: 1, count: count)
        case .uniform(let bound):
            scalars = (0..<count).map { _ in Float(Double.random(in: -bound...bound, using: &generator)) }
        case .kaimingUniform(let negativeSlope):
            let bound = (6 / ((1 + negativeSlope * negativeSlope) * Double(fanIn))).squareRoot()
            scalars = (0..<count).map { _ in Float(Double.random(in: -bound...bound, using: &generator)) }
        case .kaimingNormalFanOut:
            let deviation = (2 / Double(fanOut)).squareRoot()
            scalars = (0..<count).map { _ in Float(generator.normal(standardDeviation: deviation)) }
        }
        return Tensor(shape: shape, scalars: scalars)
    }

    /// PyTorch's default for conv and linear weights: kaiming uniform with a = √5, i.e. U(±1/√fan_in).
    public static let pytorchDefault = Initializer.kaimingUniform(negativeSlope: 5.0.squareRoot())
}
