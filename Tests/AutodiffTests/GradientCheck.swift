import Autodiff
import CPUBackend
import TensorCore
import Testing
import TestSupport

extension Tolerance {
    /// A float32 autodiff gradient against central differences of the Float64 reference.
    ///
    /// The finite differences are good to ~1e-9; the float32 kernels to ~1e-6 of the
    /// gradient's scale. 1e-3 relative and 1e-4 absolute is the usual bound for float32
    /// gradient checks and still catches a wrong sign, factor, index or missing term.
    static let gradient = Tolerance(relative: 1e-3, absolute: 1e-4)

    /// A gradient that went through bfloat16 kernels: each rounding costs up to 2⁻⁹ relative.
    static let bfloat16Gradient = Tolerance(relative: 1e-2, absolute: 2e-3)
}

/// A leaf that requires a gradient (a trainable parameter), holding `reference` as `dtype`.
func parameter(_ reference: ReferenceTensor, dtype: DType = .float32) -> Variable {
    Variable(reference.tensor(dtype: dtype), requiresGradient: true)
}

/// The elements of any tensor, reordered to plain and widened to Float64.
func plainValues(_ tensor: Tensor) -> ReferenceTensor {
    ReferenceTensor(testBackend.reorder(tensor, to: .plain))
}

/// `tensor` in the blocked layout a convolution writes for its shape (nChw16c for 16 channels on AVX-512).
///
/// Records an issue if that layout is plain, since the caller means to test a blocked input.
func blocked(_ tensor: Tensor, sourceLocation: SourceLocation = #_sourceLocation) -> Tensor {
    let channels = tensor.shape[1]
    let probe = testBackend.convolutionForward(input: Tensor(zeros: tensor.shape, dtype: tensor.dtype),
                                               weight: Tensor(zeros: [channels, channels, 1, 1], dtype: tensor.dtype),
                                               bias: nil, geometry: ConvolutionGeometry())
    #expect(!probe.format.isPlain, "a convolution output of \(tensor.shape) should be blocked",
            sourceLocation: sourceLocation)
    return testBackend.reorder(tensor, to: probe.format)
}

/// Back-propagates a seeded random cotangent from `output` and returns it, rounded to the output's type as the kernels saw it.
@discardableResult
func backpropagateRandomCotangent(from output: Variable, seed: UInt64) -> ReferenceTensor {
    let cotangent = ReferenceTensor(ReferenceTensor.random(shape: output.shape.dimensions, seed: seed)
        .tensor(dtype: output.dtype))
    output.backward(seed: cotangent.tensor(dtype: output.dtype))
    return cotangent
}

/// Records an issue unless `variable`'s accumulated gradient matches central differences of `objective` at `point`.
///
/// `objective` is the Float64 reference of the scalar that was back-propagated
/// (usually `Reference.dot(op(...), cotangent)`), as a function of this variable's
/// value. Every element is compared up to `probes` elements; beyond that, a seeded
/// sample of `probes` of them. The gradient must also be plain and of the variable's
/// shape and type, as a leaf's gradient is.
func expectGradient(of variable: Variable, at point: ReferenceTensor, probes: Int = 256,
                    tolerance: Tolerance = .gradient, _ comment: Comment? = nil,
                    sourceLocation: SourceLocation = #_sourceLocation,
                    objective: (ReferenceTensor) -> Double) {
    guard let gradient = variable.gradient else {
        Issue.record(Comment(rawValue: "\(comment.map { "\($0): " } ?? "")no gradient accumulated"),
                     sourceLocation: sourceLocation)
        return
    }
    #expect(gradient.shape == variable.shape && gradient.dtype == variable.dtype && gradient.format.isPlain,
            "gradient \(gradient) of \(variable.value)", sourceLocation: sourceLocation)
    let expected = FiniteDifferences.gradient(at: point, probing: probes, of: objective)
    expectClose(plainValues(gradient).values, expected, tolerance: tolerance, comment, sourceLocation: sourceLocation)
}
