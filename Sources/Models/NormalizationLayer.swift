import Autodiff
import Layers

/// The norm after a convolution, batch or group, with the ReLU that may follow it.
///
/// Shapes: NCHW in, NCHW out. Why a wrapper: blocks are written once for both
/// norms, each of which fuses a following ReLU into its own pass. The wrapped layer
/// is what goes into the module tree, so paths stay `bn1.weight` as in torchvision.
public enum NormalizationLayer {
    case batch(BatchNorm2D)
    case group(GroupNorm2D)

    /// A norm over `channels` channels of the configured kind; `zeroInitialScale` starts its weight at 0.
    public init(_ normalization: ResNetConfiguration.Normalization, channels: Int, followedByReLU: Bool,
                zeroInitialScale: Bool = false) {
        switch normalization {
        case .batch:
            self = .batch(BatchNorm2D(channels: channels, fuseReLU: followedByReLU,
                                      zeroInitialScale: zeroInitialScale))
        case .group(let groups):
            self = .group(GroupNorm2D(groups: groups, channels: channels, fuseReLU: followedByReLU,
                                      zeroInitialScale: zeroInitialScale))
        }
    }

    /// The wrapped layer, for the module tree.
    public var layer: any Layer {
        switch self {
        case .batch(let norm): norm
        case .group(let norm): norm
        }
    }

    /// The scale (γ) parameter.
    public var weight: Parameter {
        switch self {
        case .batch(let norm): norm.weight
        case .group(let norm): norm.weight
        }
    }

    /// Normalises `input`, then rectifies it when the norm was made `followedByReLU`.
    public func callAsFunction(_ input: Variable) -> Variable {
        switch self {
        case .batch(let norm): norm(input)
        case .group(let norm): norm(input)
        }
    }
}
