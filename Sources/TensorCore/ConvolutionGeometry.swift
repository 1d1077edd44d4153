/// The hyper-parameters of a 2-D convolution, with PyTorch's meaning.
///
/// `dilation` is PyTorch's (1 = dense kernel); `padding` is symmetric, as in
/// `nn.Conv2d(padding=(h, w))`. Weights are OIHW with I = input channels / groups.
public struct ConvolutionGeometry: Hashable, Sendable {
    public var stride: (height: Int, width: Int)
    public var padding: (height: Int, width: Int)
    public var dilation: (height: Int, width: Int)
    public var groups: Int

    public init(stride: Int = 1, padding: Int = 0, dilation: Int = 1, groups: Int = 1) {
        self.init(stride: (stride, stride), padding: (padding, padding), dilation: (dilation, dilation), groups: groups)
    }

    public init(stride: (Int, Int), padding: (Int, Int), dilation: (Int, Int) = (1, 1), groups: Int = 1) {
        precondition(stride.0 > 0 && stride.1 > 0 && dilation.0 > 0 && dilation.1 > 0 && groups > 0)
        precondition(padding.0 >= 0 && padding.1 >= 0)
        self.stride = (stride.0, stride.1)
        self.padding = (padding.0, padding.1)
        self.dilation = (dilation.0, dilation.1)
        self.groups = groups
    }

    /// The output shape for an NCHW `input` and an OIHW `weight`.
    public func outputShape(input: Shape, weight: Shape) -> Shape {
        precondition(input.rank == 4 && weight.rank == 4, "convolution needs NCHW input and OIHW weight")
        precondition(input[1] == weight[1] * groups,
                     "input has \(input[1]) channels, weight \(weight) with \(groups) groups expects \(weight[1] * groups)")
        precondition(weight[0] % groups == 0, "output channels \(weight[0]) not divisible by groups \(groups)")
        let height = (input[2] + 2 * padding.height - dilation.height * (weight[2] - 1) - 1) / stride.height + 1
        let width = (input[3] + 2 * padding.width - dilation.width * (weight[3] - 1) - 1) / stride.width + 1
        precondition(height > 0 && width > 0, "convolution output of \(input) with \(weight) would be empty")
        return [input[0], weight[0], height, width]
    }

    /// Multiply-accumulates of one forward pass.
    public func multiplyAccumulates(input: Shape, weight: Shape) -> Int {
        let output = outputShape(input: input, weight: weight)
        return output.elementCount * weight[1] * weight[2] * weight[3]
    }

    public static func == (lhs: ConvolutionGeometry, rhs: ConvolutionGeometry) -> Bool {
        lhs.stride == rhs.stride && lhs.padding == rhs.padding && lhs.dilation == rhs.dilation && lhs.groups == rhs.groups
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(stride.height); hasher.combine(stride.width)
        hasher.combine(padding.height); hasher.combine(padding.width)
        hasher.combine(dilation.height); hasher.combine(dilation.width)
        hasher.combine(groups)
    }
}
