import Autodiff
import TensorCore

/// A fully connected layer, as `nn.Linear`: weight [out, in], bias [out].
///
/// Initialised as PyTorch does by default: weight kaiming-uniform a = √5, bias U(±1/√in).
public final class Linear: Layer {
    public let weight: Parameter
    public let bias: Parameter?

    public init(inputFeatures: Int, outputFeatures: Int, bias: Bool = true, generator: inout SeededGenerator) {
        weight = Parameter(name: "weight",
                           value: Initializer.pytorchDefault.tensor(shape: [outputFeatures, inputFeatures],
                                                                    using: &generator),
                           kind: .weight)
        self.bias = bias
            ? Parameter(name: "bias", value: Initializer.uniform(bound: 1 / Double(inputFeatures).squareRoot())
                .tensor(shape: [outputFeatures], using: &generator), kind: .bias)
            : nil
    }

    public var parameters: [Parameter] { [weight] + (bias.map { [$0] } ?? []) }

    public func callAsFunction(_ input: Variable) -> Variable {
        Autodiff.linear(input, weight: weight.variable, bias: bias?.variable)
    }
}
