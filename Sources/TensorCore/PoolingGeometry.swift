/// The hyper-parameters of a 2-D max or average pooling, with PyTorch's meaning.
///
/// `ceilMode` and `countIncludePadding` follow `nn.AvgPool2d` / `nn.MaxPool2d`: with
/// ceil mode the last window may start inside the input and run past it, but never
/// starts in the right padding; an average that counts padding divides by the window
/// clipped to the padded input, never by the part past it.
public struct PoolingGeometry: Hashable, Sendable {
    public enum Kind: Hashable, Sendable {
        case max
        case average(countIncludePadding: Bool)
    }

    public var kind: Kind
    public var kernel: (height: Int, width: Int)
    public var stride: (height: Int, width: Int)
    public var padding: (height: Int, width: Int)
    public var ceilMode: Bool

    public init(kind: Kind, kernel: Int, stride: Int? = nil, padding: Int = 0, ceilMode: Bool = false) {
        self.init(kind: kind, kernel: (kernel, kernel), stride: (stride ?? kernel, stride ?? kernel),
                  padding: (padding, padding), ceilMode: ceilMode)
    }

    public init(kind: Kind, kernel: (Int, Int), stride: (Int, Int), padding: (Int, Int), ceilMode: Bool = false) {
        precondition(kernel.0 > 0 && kernel.1 > 0 && stride.0 > 0 && stride.1 > 0)
        precondition(padding.0 >= 0 && padding.1 >= 0 && 2 * padding.0 <= kernel.0 && 2 * padding.1 <= kernel.1,
                     "pooling padding must be at most half the kernel, as in PyTorch")
        self.kind = kind
        self.kernel = (kernel.0, kernel.1)
        self.stride = (stride.0, stride.1)
        self.padding = (padding.0, padding.1)
        self.ceilMode = ceilMode
    }

    /// Output length along one axis, PyTorch's rule.
    ///
    /// The span may be negative (a 2x2 ceil-mode pool of a 1x1 input gives 1x1, as in
    /// PyTorch); the result must be at least 1.
    public static func outputLength(input: Int, kernel: Int, stride: Int, padding: Int, ceilMode: Bool) -> Int {
        let span = input + 2 * padding - kernel
        let quotient = span >= 0 || span % stride == 0 ? span / stride : span / stride - 1
        var length = quotient + 1
        if ceilMode && quotient * stride != span { length += 1 }
        if ceilMode && (length - 1) * stride >= input + padding { length -= 1 }
        precondition(length >= 1, "pooling kernel \(kernel) with stride \(stride) leaves no output from \(input) + 2·\(padding)")
        return length
    }

    /// The output shape for an NCHW input.
    public func outputShape(input: Shape) -> Shape {
        precondition(input.rank == 4, "pooling needs an NCHW input, got \(input)")
        return [input[0], input[1],
                PoolingGeometry.outputLength(input: input[2], kernel: kernel.height, stride: stride.height,
                                             padding: padding.height, ceilMode: ceilMode),
                PoolingGeometry.outputLength(input: input[3], kernel: kernel.width, stride: stride.width,
                                             padding: padding.width, ceilMode: ceilMode)]
    }

    public static func == (lhs: PoolingGeometry, rhs: PoolingGeometry) -> Bool {
        lhs.kind == rhs.kind && lhs.kernel == rhs.kernel && lhs.stride == rhs.stride
            && lhs.padding == rhs.padding && lhs.ceilMode == rhs.ceilMode
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(kind)
        hasher.combine(kernel.height); hasher.combine(kernel.width)
        hasher.combine(stride.height); hasher.combine(stride.width)
        hasher.combine(padding.height); hasher.combine(padding.width)
        hasher.combine(ceilMode)
    }
}
