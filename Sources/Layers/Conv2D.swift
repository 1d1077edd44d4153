import Autodiff
import TensorCore

/// A 2-D convolution layer, as `nn.Conv2d`: weight OIHW (I = input channels / groups), optional bias [O].
///
/// Initialised as PyTorch does by default (weight kaiming-uniform a = √5, bias
/// U(±1/√fan_in)); models re-initialise as their reference does.
public final class Conv2D: Layer {
    public let weight: Parameter
    public let bias: Parameter?
    public let geometry: ConvolutionGeometry

    public init(inputChannels: Int, outputChannels: Int, kernelSize: Int, stride: Int = 1, padding: Int = 0,
                dilation: Int = 1, groups: Int = 1, bias: Bool = false, generator: inout SeededGenerator) {
        precondition(inputChannels % groups == 0 && outputChannels % groups == 0,
                     "channels \(inputChannels)→\(outputChannels) not divisible by groups \(groups)")
        let shape: Shape = [outputChannels, inputChannels / groups, kernelSize, kernelSize]
        weight = Parameter(name: "weight", value: Initializer.pytorchDefault.tensor(shape: shape, using: &generator),
                           kind: .weight)
        let fanIn = Double(inputChannels / groups * kernelSize * kernelSize)
        self.bias = bias
            ? Parameter(name: "bias", value: Initializer.uniform(bound: 1 / fanIn.squareRoot())
                .tensor(shape: [outputChannels], using: &generator), kind: .bias)
            : nil
        geometry = ConvolutionGeometry(stride: stride, padding: padding, dilation: dilation, groups: groups)
    }

    public var parameters: [Parameter] { [weight] + (bias.map { [$0] } ?? []) }

    public func callAsFunction(_ input: Variable) -> Variable {
        conv2d(input, weight: weight.variable, bias: bias?.variable, geometry: geometry)
    }
}
