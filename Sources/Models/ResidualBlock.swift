import Autodiff
import Layers
import TensorCore

/// A residual block of a ResNet stage: `relu(dropPath(branch(x)) + shortcut(x))`.
///
/// Shapes: [N, inputChannels, H, W] → [N, outputChannels, H / stride, W / stride].
/// Why a protocol: the ResNet and its tests treat basic and bottleneck blocks alike
/// (drop-path rate, zero-γ, complexity), and the forward pass needs the model's
/// generator for stochastic depth.
public protocol ResidualBlock: Layer {
    /// Channels of the block's output.
    var outputChannels: Int { get }
    /// The projection of the shortcut, nil for the identity.
    var downsample: Shortcut? { get }
    /// Stochastic depth on the residual branch.
    var dropPath: DropPath { get }
    /// The norm whose output is added to the shortcut (zero-γ starts its scale at 0).
    var lastNormalization: NormalizationLayer { get }
    /// The convolutions of the residual branch in order, for complexity counts.
    var branchConvolutions: [Conv2D] { get }
    /// The norm after each branch convolution, in the same order (the last one is `lastNormalization`).
    var branchNormalizations: [NormalizationLayer] { get }

    /// The block's output; `generator` supplies stochastic depth's draws in training.
    func callAsFunction(_ input: Variable, generator: inout SeededGenerator) -> Variable
}

extension ResidualBlock {
    /// Adds the (possibly dropped) branch to the shortcut and rectifies: the residual connection.
    func combine(branch: Variable, input: Variable, generator: inout SeededGenerator) -> Variable {
        let shortcut = downsample.map { $0(input) } ?? input
        return addThenReLU(dropPath(branch, generator: &generator), shortcut)
    }

    /// The shortcut when the block changes resolution or width, nil (the identity) otherwise.
    static func makeShortcut(kind: ResNetConfiguration.Downsample, inputChannels: Int, outputChannels: Int,
                             stride: Int, normalization: ResNetConfiguration.Normalization,
                             generator: inout SeededGenerator) -> Shortcut? {
        guard stride != 1 || inputChannels != outputChannels else { return nil }
        return Shortcut(kind: kind, inputChannels: inputChannels, outputChannels: outputChannels, stride: stride,
                        normalization: normalization, generator: &generator)
    }
}
