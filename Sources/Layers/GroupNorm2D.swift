import Autodiff
import TensorCore

/// Group normalisation, as `nn.GroupNorm(groups, channels)`: scale ones, shift zeros, no running statistics.
///
/// `fuseReLU` applies the ReLU that follows in the same pass (and its mask in backward).
public final class GroupNorm2D: Layer {
    public let weight: Parameter
    public let bias: Parameter
    public let groups: Int
    public let epsilon: Float
    public let fuseReLU: Bool

    public init(groups: Int, channels: Int, epsilon: Float = 1e-5, fuseReLU: Bool = false,
                zeroInitialScale: Bool = false) {
        precondition(channels % groups == 0, "\(channels) channels do not split into \(groups) groups")
        weight = Parameter(name: "weight", value: Tensor(repeating: zeroInitialScale ? 0 : 1, shape: [channels]),
                           kind: .normScale)
        bias = Parameter(name: "bias", value: Tensor(zeros: [channels]), kind: .normShift)
        self.groups = groups
        self.epsilon = epsilon
        self.fuseReLU = fuseReLU
    }

    public var parameters: [Parameter] { [weight, bias] }

    public func callAsFunction(_ input: Variable) -> Variable {
        groupNorm(input, groups: groups, scale: weight.variable, shift: bias.variable, epsilon: epsilon,
                  fuseReLU: fuseReLU)
    }
}
