import CPUBackend
import TensorCore
import Testing
import TestSupport

/// Reorders between plain and blocked layouts, and conversions between float32 and bfloat16.
@Suite struct LayoutKernelTests {
    /// plain → blocked → plain gives back every bit, for channel counts that fill and that pad the 16-wide blocks.
    @Test(arguments: Precision.available, [[2, 16, 5, 7], [3, 20, 3, 5], [1, 3, 7, 9]])
    func reorderRoundTripIsExact(precision: Precision, shape: [Int]) {
        let backend = testBackend
        let original = precision.tensor(.random(shape: shape, seed: 700))
        let format = convolutionOutputFormat(shape: Shape(shape), dtype: precision.dtype)
        #expect(!format.isPlain, "oneDNN writes even 3 channels as nChw16c, padding the block")
        let blockedTensor = backend.reorder(original, to: format)
        #expect(blockedTensor.format == format)
        let roundTrip = backend.reorder(blockedTensor, to: .plain)
        #expect(roundTrip.format.isPlain && roundTrip.shape == original.shape && roundTrip.dtype == original.dtype)
        #expect(roundTrip.scalars == original.scalars)
    }

    /// A convolution with 16 output channels writes a blocked layout, which the round trip above relies on.
    @Test(arguments: Precision.available)
    func convolutionOutputOfSixteenChannelsIsBlocked(precision: Precision) {
        _ = testBackend
        #expect(!convolutionOutputFormat(shape: [2, 16, 5, 7], dtype: precision.dtype).isPlain)
    }

    @Test func reorderToTheSameFormatReturnsTheSameStorage() {
        let tensor = ReferenceTensor.random(shape: [2, 3], seed: 710).tensor()
        #expect(testBackend.reorder(tensor, to: .plain).storage === tensor.storage)
    }

    /// Round to nearest, ties to even, checked bit by bit on the cases truncation or ties-away get wrong.
    @Test func convertToBFloat16RoundsToNearestEven() {
        let cases: [(input: UInt32, expected: UInt16, why: String)] = [
            (0x3F80_8000, 0x3F80, "1 + 2⁻⁸ is halfway: ties to the even 1.0"),
            (0x3F81_8000, 0x3F82, "1 + 3·2⁻⁸ is halfway: ties to the even 1 + 2⁻⁶"),
            (0x3F80_8001, 0x3F81, "just above halfway rounds up"),
            (0x3F80_7FFF, 0x3F80, "just below halfway rounds down"),
            (0xBF80_8000, 0xBF80, "negative tie to even"),
            (0xBF81_8000, 0xBF82, "negative tie to even, away from zero"),
            (0x3FFF_FFFF, 0x4000, "rounding carries into the exponent"),
            (0x4049_0FDB, 0x4049, "π"),
            (0x0000_0000, 0x0000, "zero"),
            (0x8000_0000, 0x8000, "negative zero keeps its sign"),
            (0x7F80_0000, 0x7F80, "infinity"),
            (0xFF80_0000, 0xFF80, "negative infinity"),
        ]
        let floats = cases.map { Float(bitPattern: $0.input) }
        let converted = testBackend.convert(Tensor(shape: [cases.count], scalars: floats), to: .bfloat16)
        #expect(converted.dtype == .bfloat16 && converted.format.isPlain)
        let bits = Array(converted.storage.buffer(as: UInt16.self, count: cases.count))
        for (index, testCase) in cases.enumerated() {
            // Without AVX-512, oneDNN 2.6 converts in portable C++, which turns -0 into +0.
            if testCase.input == 0x8000_0000 && !CPUBackend.hasBFloat16Kernels && bits[index] == 0 { continue }
            #expect(bits[index] == testCase.expected,
                    "\(testCase.why): 0x\(String(testCase.input, radix: 16)) → 0x\(String(bits[index], radix: 16))")
        }
    }

    /// oneDNN's conversion agrees with `BFloat16.bits(from:)` (which `Tensor(scalars:dtype: .bfloat16)` uses) on random normal floats.
    ///
    /// Subnormal floats (below 2⁻¹²⁶ ≈ 1.2e-38) are left out: oneDNN converts them with
    /// `vcvtneps2bf16`, which treats them as zero, while `BFloat16.bits` rounds them;
    /// `convertToBFloat16OfSubnormalsIsZeroOrNearest` pins that difference down.
    @Test func convertToBFloat16AgreesWithTensorCoreRounding() {
        var generator = SeededGenerator(seed: 720)
        var floats: [Float] = []
        while floats.count < 4096 {
            let float = Float(bitPattern: UInt32(truncatingIfNeeded: generator.next()) & 0xBFFF_FFFF)
            if float.isNormal { floats.append(float) }
        }
        let converted = testBackend.convert(Tensor(shape: [floats.count], scalars: floats), to: .bfloat16)
        let bits = Array(converted.storage.buffer(as: UInt16.self, count: floats.count))
        let expected = floats.map(BFloat16.bits(from:))
        let mismatches = bits.indices.filter { bits[$0] != expected[$0] }
        #expect(mismatches.isEmpty, "\(mismatches.count) mismatches; first: \(mismatches.first.map { hex(floats[$0], bits[$0], expected[$0]) } ?? "")")
    }

    /// float32 subnormals become a signed zero (oneDNN) or the nearest bfloat16 (PyTorch, `BFloat16.bits`), nothing else.
    ///
    /// The two paths disagree only here, far below any value training produces; the
    /// test accepts both so that neither choice is locked in, and fails on anything else.
    @Test func convertToBFloat16OfSubnormalsIsZeroOrNearest() {
        let floats: [Float] = [Float(bitPattern: 0x001B_FC3E), Float(bitPattern: 0x8000_0001), .leastNonzeroMagnitude,
                               Float.leastNormalMagnitude.nextDown]
        let converted = testBackend.convert(Tensor(shape: [floats.count], scalars: floats), to: .bfloat16)
        let bits = Array(converted.storage.buffer(as: UInt16.self, count: floats.count))
        for (float, result) in zip(floats, bits) {
            let signedZero: UInt16 = float.sign == .minus ? 0x8000 : 0
            #expect(result == signedZero || result == BFloat16.bits(from: float), "\(hex(float, result, BFloat16.bits(from: float)))")
        }
    }

    /// bfloat16 → float32 is exact widening, and a blocked tensor converts in its own layout.
    @Test(.enabled(if: CPUBackend.hasBFloat16Kernels, "its blocked bfloat16 layout comes from a bfloat16 convolution"))
    func convertBetweenTypesKeepsValuesAndLayout() {
        let backend = testBackend
        let values = Precision.bfloat16.rounded(.random(shape: [2, 16, 3, 5], seed: 730))
        let blockedBFloat16 = blocked(values.tensor(dtype: .bfloat16))
        let widened = backend.convert(blockedBFloat16, to: .float32)
        #expect(widened.dtype == .float32 && !widened.format.isPlain)
        #expect(plainValues(widened) == values)
        let narrowed = backend.convert(widened, to: .bfloat16)
        #expect(narrowed.dtype == .bfloat16)
        #expect(plainValues(narrowed) == values)
    }
}

/// "0x<float bits> → 0x<result>, expected 0x<expected>" for a conversion failure message.
private func hex(_ float: Float, _ result: UInt16, _ expected: UInt16) -> String {
    "0x\(String(float.bitPattern, radix: 16)) → 0x\(String(result, radix: 16)), expected 0x\(String(expected, radix: 16))"
}
