import CDNNL
import CWinograd
import TensorCore
import Testing
import TestSupport

@testable import CPUBackend

/// Hone's Winograd F(2×2, 3×3) and F(4×4, 3×3) kernels against the Float64 reference, and when the backend uses them.
///
/// The kernels run on any CPU with AVX2 and FMA, so they are tested directly
/// wherever that holds, not only where `auto` routes to them. The cases reach what
/// breaks tiled index arithmetic: maps of odd size (the last tile hangs over the
/// edge), a 2×2 map (one tile, all padding around it), more tiles than one block
/// (588 F(2,3) tiles in blocks of 96 and a short last one; 147 F(4,3) tiles in blocks
/// of 54), channel counts that leave a remainder in the six-row kernels (32 = 5 × 6 + 2),
/// and inputs arriving plain rather than in the kernels' nChw8c layout.
@Suite(.enabled(if: hone_winograd_is_supported() != 0, "the Winograd kernels need AVX2 and FMA"))
struct WinogradConvolutionTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let inputShape: [Int]
        let filters: Int
        let seed: UInt64

        var testDescription: String { name }
        var weightShape: [Int] { [filters, inputShape[1], 3, 3] }
        var outputShape: [Int] { [inputShape[0], filters, inputShape[2], inputShape[3]] }
        var input: ReferenceTensor { .random(shape: inputShape, seed: seed) }
        var weight: ReferenceTensor { .random(shape: weightShape, seed: seed + 1, range: -0.5...0.5) }
        var cotangent: ReferenceTensor { .random(shape: outputShape, seed: seed + 2) }

        static let all = [
            Case(name: "16 to 32 channels on 7x9", inputShape: [2, 16, 7, 9], filters: 32, seed: 300),
            Case(name: "32 to 16 channels on 2x2", inputShape: [3, 32, 2, 2], filters: 16, seed: 310),
            Case(name: "16 to 16 channels on 28x28, 588 tiles", inputShape: [3, 16, 28, 28], filters: 16, seed: 320),
            Case(name: "32 to 48 channels on 5x6", inputShape: [2, 32, 5, 6], filters: 48, seed: 330),
        ]
    }

    static let geometry = ConvolutionGeometry(padding: 1)
    /// F(2×2, 3×3) and F(4×4, 3×3).
    static let tiles: [Int32] = [2, 4]

    /// The float32 tolerance, widened for F(4,3) by a bound on the error scaled to the largest output.
    ///
    /// F(4,3)'s transforms take linear combinations with coefficients up to 5 (B^T) and 8
    /// (A^T), so an output's rounding error scales with the magnitudes flowing through its
    /// tile, not with the output itself: a near-zero output next to large ones carries an
    /// error of ~5e-6 of the largest (measured 2.5e-5 on outputs up to ~5; 8.6e-5 on weight
    /// gradients summed over 2,352 pixels). 2e-5 of the largest output still catches any
    /// wrong coefficient, tap or tile index, whose errors are of order 1e-1 of it.
    static func tolerance(tile: Int32, expected: ReferenceTensor) -> Tolerance {
        let base = Precision.float32.tolerance
        guard tile == 4 else { return base }
        let largest = expected.values.map(abs).max() ?? 0
        return Tolerance(relative: base.relative, absolute: max(base.absolute, 2e-5 * largest))
    }

    @Test(arguments: Case.all, tiles)
    func forwardMatchesReference(convolution: Case, tile: Int32) {
        let output = testBackend.winogradForward(input: convolution.input.tensor(), weight: convolution.weight.tensor(),
                                                 tile: tile)
        #expect(output.shape.dimensions == convolution.outputShape)
        let expected = Reference.conv2d(input: convolution.input, weight: convolution.weight, bias: nil,
                                        geometry: Self.geometry)
        expectClose(plainValues(output), expected, tolerance: Self.tolerance(tile: tile, expected: expected))
    }

    @Test(arguments: Case.all, tiles)
    func backwardDataMatchesReference(convolution: Case, tile: Int32) {
        let gradient = testBackend.winogradBackwardData(gradientOfOutput: convolution.cotangent.tensor(),
                                                        weight: convolution.weight.tensor(),
                                                        inputShape: Shape(convolution.inputShape), tile: tile)
        #expect(gradient.shape.dimensions == convolution.inputShape)
        let expected = ConvolutionAdjoint.gradients(input: convolution.input, weight: convolution.weight,
                                                    cotangent: convolution.cotangent, geometry: Self.geometry)
        expectClose(plainValues(gradient), expected.input, tolerance: Self.tolerance(tile: tile, expected: expected.input))
    }

    @Test(arguments: Case.all, tiles)
    func backwardWeightsMatchesReference(convolution: Case, tile: Int32) {
        let gradient = testBackend.winogradBackwardWeights(input: convolution.input.tensor(),
                                                           gradientOfOutput: convolution.cotangent.tensor(),
                                                           weightShape: Shape(convolution.weightShape), tile: tile)
        #expect(gradient.format.isPlain && gradient.dtype == .float32)
        let expected = ConvolutionAdjoint.gradients(input: convolution.input, weight: convolution.weight,
                                                    cotangent: convolution.cotangent, geometry: Self.geometry)
        expectClose(ReferenceTensor(gradient), expected.weight,
                    tolerance: Self.tolerance(tile: tile, expected: expected.weight))
    }

    /// Inference: the folded bias, the residual add and the ReLU happen in the output transform, in that order.
    @Test(arguments: [false, true], tiles)
    func forwardAppliesBiasResidualAndReLU(overwritingTheResidual: Bool, tile: Int32) {
        let convolution = Case.all[0]
        let bias = ReferenceTensor.random(shape: [convolution.filters], seed: 360)
        let residual = ReferenceTensor.random(shape: convolution.outputShape, seed: 361)
        let residualTensor = testBackend.reorder(residual.tensor(), to: testBackend.eightChannelBlocks(
            Shape(convolution.outputShape)).memoryFormat)
        let output = testBackend.winogradForward(
            input: convolution.input.tensor(), weight: convolution.weight.tensor(), bias: bias.tensor(),
            epilogue: .addThenReLU(residual: residualTensor, overwritingIt: overwritingTheResidual), tile: tile)
        #expect((output.storage === residualTensor.storage) == overwritingTheResidual)
        let convolved = Reference.conv2d(input: convolution.input, weight: convolution.weight, bias: bias,
                                         geometry: Self.geometry)
        let expected = ReferenceTensor(shape: convolved.shape,
                                       values: zip(convolved.values, residual.values).map { max($0 + $1, 0) })
        expectClose(plainValues(output), expected, tolerance: Self.tolerance(tile: tile, expected: expected))
    }

    /// A layer's blocked output feeds the next one unchanged, and weights may arrive blocked too.
    @Test func blockedActivationsAndWeightsGiveTheSameResult() {
        let input = ReferenceTensor.random(shape: [2, 16, 6, 6], seed: 340)
        let weight = ReferenceTensor.random(shape: [16, 16, 3, 3], seed: 341, range: -0.5...0.5)
        let blockedInput = testBackend.reorder(input.tensor(),
                                               to: testBackend.eightChannelBlocks(Shape(input.shape)).memoryFormat)
        let blockedWeight = testBackend.reorder(weight.tensor(), to: MemoryDescriptor(
            dimensions: weight.shape, dtype: .float32, formatTag: dnnl_ABcd8b8a).memoryFormat)
        #expect(!blockedInput.format.isPlain && !blockedWeight.format.isPlain)
        let plain = testBackend.winogradForward(input: input.tensor(), weight: weight.tensor())
        let blocked = testBackend.winogradForward(input: blockedInput, weight: blockedWeight)
        #expect(plainValues(plain).values == plainValues(blocked).values)
    }

    /// `auto` sends exactly the eligible convolutions to the kernels (weight gradients up to 256 channels), and only where `usesHoneWinograd` holds.
    @Test func automaticRoutesEligibleConvolutionsOnly() {
        let backend = CPUBackend(threads: 2, convolutionAlgorithm: .automatic)
        let direct = CPUBackend(threads: 2, convolutionAlgorithm: .direct)
        let input = ReferenceTensor.random(shape: [2, 16, 6, 6], seed: 350).tensor()
        let weight = ReferenceTensor.random(shape: [16, 16, 3, 3], seed: 351).tensor()
        let bias = ReferenceTensor.random(shape: [16], seed: 352).tensor()
        let stride2 = ConvolutionGeometry(stride: 2, padding: 1)

        func winogradCalls(_ backend: CPUBackend, _ run: (CPUBackend) -> Void) -> Int {
            backend.startProfiling()
            run(backend)
            return backend.finishProfiling().entries.filter { $0.name.hasPrefix("winograd") }.reduce(0) { $0 + $1.calls }
        }
        let eligible = winogradCalls(backend) { backend in
            let output = backend.convolutionForward(input: input, weight: weight, bias: nil, geometry: Self.geometry)
            _ = backend.convolutionBackwardData(gradientOfOutput: output, weight: weight, inputShape: input.shape,
                                                geometry: Self.geometry)
            _ = backend.convolutionBackwardWeights(input: input, gradientOfOutput: output, weightShape: weight.shape,
                                                   geometry: Self.geometry, includeBias: false, gradientType: .float32)
            _ = backend.convolutionInference(input: input, weight: weight, bias: bias, geometry: Self.geometry,
                                             epilogue: .relu)
        }
        #expect(eligible == (InstructionSet.effective.usesHoneWinograd ? 4 : 0))
        let ineligible = winogradCalls(backend) { backend in
            _ = backend.convolutionForward(input: input, weight: weight, bias: bias, geometry: Self.geometry)
            _ = backend.convolutionForward(input: input, weight: weight, bias: nil, geometry: stride2)
            let narrow = ReferenceTensor.random(shape: [2, 8, 6, 6], seed: 353).tensor()
            _ = backend.convolutionForward(input: narrow, weight: ReferenceTensor.random(shape: [16, 8, 3, 3],
                                                                                          seed: 354).tensor(),
                                           bias: nil, geometry: Self.geometry)
        }
        #expect(ineligible == 0)
        let wide = ReferenceTensor.random(shape: [1, 512, 2, 2], seed: 355).tensor()
        let wideWeightGradient = winogradCalls(backend) { backend in
            _ = backend.convolutionBackwardWeights(input: wide, gradientOfOutput: wide,
                                                   weightShape: Shape([512, 512, 3, 3]), geometry: Self.geometry,
                                                   includeBias: false, gradientType: .float32)
        }
        #expect(wideWeightGradient == 0)
        let undirected = winogradCalls(direct) { backend in
            _ = backend.convolutionForward(input: input, weight: weight, bias: nil, geometry: Self.geometry)
        }
        #expect(undirected == 0)
    }
}
