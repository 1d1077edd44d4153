import CPUBackend
import TensorCore
import Testing
import TestSupport

/// oneDNN's element-wise kernels: ReLU forward and backward, addition, per-sample multiplication and scaling.
///
/// Each runs on plain and blocked tensors in float32 and bfloat16; addition also on
/// operands in different layouts (a blocked convolution output plus a plain shortcut),
/// which is every residual connection.
@Suite struct ElementwiseKernelTests {
    static let shape: [Int] = [2, 16, 5, 7]

    /// Uniform values at least 0.05 away from zero, so ReLU's kink is never near a finite-difference step.
    static func awayFromZero(seed: UInt64) -> ReferenceTensor {
        ReferenceTensor.random(shape: shape, seed: seed).map { $0 < 0 ? $0 - 0.05 : $0 + 0.05 }
    }

    static func tensor(_ reference: ReferenceTensor, _ precision: Precision, blocked isBlocked: Bool) -> Tensor {
        let plain = precision.tensor(reference)
        return isBlocked ? blocked(plain) : plain
    }

    @Test(arguments: Precision.available, [false, true])
    func reluForwardMatchesReference(precision: Precision, isBlocked: Bool) {
        let input = precision.rounded(Self.awayFromZero(seed: 500))
        let output = testBackend.reluForward(Self.tensor(input, precision, blocked: isBlocked))
        #expect(output.format == Self.tensor(input, precision, blocked: isBlocked).format, "ReLU keeps the layout")
        // max(x, 0) of a representable x is representable: exact.
        expectClose(plainValues(output), Reference.relu(input), tolerance: Tolerance())
    }

    @Test(arguments: Precision.available, [false, true])
    func reluBackwardMatchesReference(precision: Precision, isBlocked: Bool) {
        let backend = testBackend
        let input = precision.rounded(Self.awayFromZero(seed: 510))
        let cotangent = precision.rounded(.random(shape: Self.shape, seed: 511))
        let output = backend.reluForward(Self.tensor(input, precision, blocked: isBlocked))
        let gradient = backend.reluBackward(gradientOfOutput: Self.tensor(cotangent, precision, blocked: isBlocked),
                                            output: output)
        let expected = FiniteDifferences.gradient(at: input) { Reference.dot(Reference.relu($0), cotangent) }
        expectClose(plainValues(gradient), expected, tolerance: precision.tolerance)
    }

    /// Both operands in each combination of plain and blocked; the result takes the left one's layout.
    @Test(arguments: Precision.available, [(false, false), (true, false), (false, true), (true, true)])
    func addMatchesReferenceInEveryLayoutPair(precision: Precision, layouts: (Bool, Bool)) {
        let left = precision.rounded(.random(shape: Self.shape, seed: 520))
        let right = precision.rounded(.random(shape: Self.shape, seed: 521))
        let leftTensor = Self.tensor(left, precision, blocked: layouts.0)
        let sum = testBackend.add(leftTensor, Self.tensor(right, precision, blocked: layouts.1))
        #expect(sum.format == leftTensor.format)
        expectClose(plainValues(sum), Reference.add(left, right), tolerance: precision.tolerance)
    }

    /// The fused residual end max(a + b, 0) equals ReLU of the sum, in every layout pair.
    @Test(arguments: Precision.available, [(false, false), (true, false), (false, true), (true, true)])
    func addThenReLUMatchesReferenceInEveryLayoutPair(precision: Precision, layouts: (Bool, Bool)) {
        let left = precision.rounded(.random(shape: Self.shape, seed: 530))
        let right = precision.rounded(.random(shape: Self.shape, seed: 531))
        let leftTensor = Self.tensor(left, precision, blocked: layouts.0)
        let output = testBackend.addThenReLU(leftTensor, Self.tensor(right, precision, blocked: layouts.1))
        #expect(output.format == leftTensor.format && output.dtype == precision.dtype)
        expectClose(plainValues(output), Reference.relu(Reference.add(left, right)), tolerance: precision.tolerance)
    }

    /// ReLU and addition on 20 channels, whose blocked layout pads the second block of 16.
    @Test(arguments: Precision.available)
    func reluAndAddOnPaddedBlocksMatchReference(precision: Precision) {
        let backend = testBackend
        let shape = [2, 20, 3, 5]
        let left = precision.rounded(.random(shape: shape, seed: 560))
        let right = precision.rounded(.random(shape: shape, seed: 561))
        let leftTensor = blocked(precision.tensor(left))
        #expect(!leftTensor.format.isPlain)
        let sum = backend.add(leftTensor, precision.tensor(right))
        expectClose(plainValues(sum), Reference.add(left, right), tolerance: precision.tolerance, "add")
        expectClose(plainValues(backend.reluForward(sum)), Reference.relu(plainValues(sum)), tolerance: Tolerance(),
                    "relu")
    }

    /// A residual connection as it happens: the blocked output of a convolution plus a plain input.
    @Test func addOfAConvolutionOutputAndAPlainTensorMatchesReference() {
        let backend = testBackend
        let input = ReferenceTensor.random(shape: [2, 16, 5, 7], seed: 530)
        let weight = ReferenceTensor.random(shape: [16, 16, 3, 3], seed: 531, range: -0.2...0.2)
        let geometry = ConvolutionGeometry(padding: 1)
        let convolved = backend.convolutionForward(input: input.tensor(), weight: weight.tensor(), bias: nil,
                                                   geometry: geometry)
        #expect(!convolved.format.isPlain)
        let expected = Reference.add(Reference.conv2d(input: input, weight: weight, geometry: geometry), input)
        let tolerance = Precision.float32.tolerance
        expectClose(plainValues(backend.add(convolved, input.tensor())), expected, tolerance: tolerance, "blocked + plain")
        expectClose(plainValues(backend.add(input.tensor(), convolved)), expected, tolerance: tolerance, "plain + blocked")
    }

    /// NCHW plain and blocked (10 channels: blocks padded to 16), and [N, C] features (which have no blocked layout).
    @Test(arguments: Precision.available, [([3, 16, 5, 7], false), ([3, 16, 5, 7], true), ([3, 10, 5, 7], true), ([4, 10], false)])
    func perSampleMultiplyMatchesReference(precision: Precision, layout: ([Int], Bool)) {
        let (shape, isBlocked) = layout
        let input = precision.rounded(.random(shape: shape, seed: 540))
        // Stochastic depth's factors: dropped (0) and kept (1 / keep probability), plus an arbitrary one.
        let factors: [Double] = [0, 1.25, -0.7, 2][..<shape[0]].map { $0 }
        let scale = ReferenceTensor(shape: [shape[0]], values: factors)
        let plain = precision.tensor(input)
        let inputTensor = isBlocked ? blocked(plain) : plain
        let output = testBackend.multiply(inputTensor, perSampleScale: scale.tensor())
        #expect(output.format == inputTensor.format && output.dtype == precision.dtype)
        expectClose(plainValues(output), Reference.multiplyPerSample(input, scale: scale), tolerance: precision.tolerance)
    }

    @Test(arguments: Precision.available, [(false, Float(-0.5)), (true, -0.5), (false, 2.5), (true, 2.5), (true, 0)])
    func scaleMatchesReference(precision: Precision, layoutAndFactor: (Bool, Float)) {
        let (isBlocked, factor) = layoutAndFactor
        let input = precision.rounded(.random(shape: Self.shape, seed: 550))
        let inputTensor = Self.tensor(input, precision, blocked: isBlocked)
        let output = testBackend.scale(inputTensor, by: factor)
        #expect(output.format == inputTensor.format)
        expectClose(plainValues(output), input.map { $0 * Double(factor) }, tolerance: precision.tolerance)
    }
}
