import TensorCore
import Testing

/// bfloat16 conversion: round to nearest with ties to even, as oneDNN and PyTorch do.
@Suite struct BFloat16Tests {
    @Test func exactValuesSurviveTheRoundTrip() {
        for value: Float in [0, 1, -2, 0.5, Float(bitPattern: 0x7F7F_0000), Float(bitPattern: 0x8080_0000), .infinity, -.infinity] {
            #expect(BFloat16.rounded(value) == value)
        }
    }

    @Test func halfwayCasesRoundToEven() {
        let one = Float(bitPattern: 0x3F80_0000)
        #expect(BFloat16.bits(from: Float(bitPattern: 0x3F80_8000)) == 0x3F80)
        #expect(BFloat16.bits(from: Float(bitPattern: 0x3F81_8000)) == 0x3F82)
        #expect(BFloat16.bits(from: Float(bitPattern: 0x3F80_8001)) == 0x3F81)
        #expect(BFloat16.float(from: 0x3F80) == one)
    }

    @Test func notANumberStaysNotANumber() {
        #expect(BFloat16.rounded(.nan).isNaN)
        #expect(BFloat16.rounded(Float(bitPattern: 0x7F80_0001)).isNaN)
    }

    @Test func bfloat16TensorsStoreRoundedValues() {
        let tensor = Tensor(shape: [3], scalars: [1.00390625, 1.01171875, -7.5], dtype: .bfloat16)
        #expect(tensor.byteCount == 6)
        #expect(tensor.scalars == [1.0, 1.015625, -7.5])
    }
}
