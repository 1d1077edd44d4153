/// What an inference convolution applies to its result before writing it: nothing, ReLU, a residual add, or both.
///
/// Shapes: a residual has the convolution's output shape and dtype. Why: in
/// evaluation a ResNet's batch norms fold into the convolutions, and the ReLU and
/// the residual addition that follow can run inside the convolution's own output
/// loop (oneDNN post-ops) instead of as separate passes over memory. When the
/// caller will not read the residual again, `overwritesResidual` lets the kernel
/// accumulate straight into the residual's storage instead of copying it first.
public struct ConvolutionEpilogue: Sendable {
    /// Added to the convolution's output, when present.
    public var residual: Tensor?
    /// Whether a ReLU ends the epilogue (after the add).
    public var appliesReLU: Bool
    /// Whether the output may be written over the residual's storage.
    public var overwritesResidual: Bool

    public init(residual: Tensor? = nil, appliesReLU: Bool = false, overwritesResidual: Bool = false) {
        self.residual = residual
        self.appliesReLU = appliesReLU
        self.overwritesResidual = overwritesResidual && residual != nil
    }

    /// y = conv(x).
    public static let none = ConvolutionEpilogue()
    /// y = max(conv(x), 0).
    public static let relu = ConvolutionEpilogue(appliesReLU: true)

    /// y = conv(x) + residual.
    public static func add(residual: Tensor, overwritingIt: Bool = false) -> ConvolutionEpilogue {
        ConvolutionEpilogue(residual: residual, overwritesResidual: overwritingIt)
    }

    /// y = max(conv(x) + residual, 0).
    public static func addThenReLU(residual: Tensor, overwritingIt: Bool = false) -> ConvolutionEpilogue {
        ConvolutionEpilogue(residual: residual, appliesReLU: true, overwritesResidual: overwritingIt)
    }
}
