import Interop
import Testing

@Suite struct HalfFloatTests {
    @Test(arguments: [
        (UInt16(0x3C00), Float(1.0)),
        (0xC000, -2.0),
        (0x7BFF, 65504),
        (0x0001, 0x1p-24),
        (0x03FF, 0x1.FF8p-15),
        (0x0400, 0x1p-14),
        (0x3555, 0x1.554p-2),
        (0x0000, 0.0),
        (0x7C00, .infinity),
        (0xFC00, -.infinity),
    ])
    func knownBitPatternsConvertExactly(bits: UInt16, expected: Float) {
        #expect(HalfFloat.float(from: bits) == expected)
    }

    @Test func negativeZeroKeepsItsSign() {
        let value = HalfFloat.float(from: 0x8000)
        #expect(value == 0 && value.sign == .minus)
        #expect(HalfFloat.float(from: 0x8001) == -0x1p-24)
    }

    @Test func notANumberStaysNotANumberWithItsPayload() {
        let quiet = HalfFloat.float(from: 0x7E00)
        #expect(quiet.isNaN && !quiet.isSignalingNaN)
        let signaling = HalfFloat.float(from: 0x7C01)
        #expect(signaling.isNaN && signaling.bitPattern == 0x7F80_2000)
        #expect(HalfFloat.float(from: 0xFFFF).isNaN)
    }

    #if !(os(macOS) && arch(x86_64))
    @Test func everyBitPatternMatchesTheStandardLibrary() {
        let mismatches = (UInt16.min...UInt16.max).filter { bits in
            let reference = Float(Float16(bitPattern: bits))
            let converted = HalfFloat.float(from: bits)
            return reference.isNaN ? !converted.isNaN : converted.bitPattern != reference.bitPattern
        }
        #expect(mismatches.isEmpty, "first mismatching bits: \(mismatches.prefix(5))")
    }
    #endif
}
