import Foundation
import Interop
import TensorCore
import Testing

@Suite struct SafeTensorsReadingTests {
    @Test func handBuiltFileReadsEveryDTypeAsSpecified() throws {
        let half: [UInt16] = [0x3C00, 0xC000, 0x7BFF, 0x0001, 0x7C00, 0xFC00]
        let float64: [Double] = [0.1, -3.5]
        let bfloat16: [UInt16] = [0x3F80, 0xC040]
        var data: [UInt8] = []
        data += littleEndianBytes(Int64(1234))
        data += [Int64(-1), 7, Int64.max].flatMap(littleEndianBytes)
        data += float64.flatMap { littleEndianBytes($0.bitPattern) }
        data += float32Bytes([1.5, -2.25, 3, 4])
        data += [Int32(-5), 6, Int32.min].flatMap(littleEndianBytes)
        data += half.flatMap(littleEndianBytes)
        data += bfloat16.flatMap(littleEndianBytes)
        // Entries deliberately out of data order, and a header length that is not a multiple of 8.
        let header = """
        {"fc.weight":{"dtype":"F32","shape":[2,2],"data_offsets":[48,64]},\
        "__metadata__":{"format":"pt","epoch":"3"},\
        "bn1.num_batches_tracked":{"dtype":"I64","shape":[],"data_offsets":[0,8]},\
        "halves":{"dtype":"F16","shape":[6],"data_offsets":[76,88]},\
        "labels":{"dtype":"I64","shape":[3],"data_offsets":[8,32]},\
        "doubles":{"dtype":"F64","shape":[2,1],"data_offsets":[32,48]},\
        "small":{"dtype":"I32","shape":[3],"data_offsets":[64,76]},\
        "brain":{"dtype":"BF16","shape":[2],"data_offsets":[88,92]}}
        """
        let directory = try TemporaryDirectory()
        let url = directory.file("hand.safetensors")
        try Data(safeTensorsBytes(header: header, padding: 3, data: data)).write(to: url)

        let contents = try SafeTensors(contentsOf: url)

        #expect(contents.metadata == ["format": "pt", "epoch": "3"])
        #expect(contents.names == ["bn1.num_batches_tracked", "labels", "doubles", "fc.weight",
                                   "small", "halves", "brain"])
        let halves = try #require(contents["halves"])
        #expect(halves.dtype == .float32)
        #expect(halves.shape == [6])
        #expect(halves.scalars == [1.0, -2.0, 65504, 0x1p-24, .infinity, -.infinity])
        #expect(abs(halves.scalars[3] - 5.960464e-8) < 1e-14)
        let weight = try #require(contents["fc.weight"])
        #expect(weight.dtype == .float32 && weight.format == .plain && weight.shape == [2, 2])
        #expect(weight.scalars == [1.5, -2.25, 3, 4])
        let brain = try #require(contents["brain"])
        #expect(brain.dtype == .bfloat16)
        #expect(brain.scalars == [1, -3])
        let doubles = try #require(contents["doubles"])
        #expect(doubles.dtype == .float32 && doubles.shape == [2, 1])
        #expect(doubles.scalars == [Float(0.1), -3.5])
        #expect(contents.integers(named: "bn1.num_batches_tracked") == [1234])
        #expect(contents.integerArray(named: "bn1.num_batches_tracked")?.shape == [])
        #expect(contents.integers(named: "labels") == [-1, 7, Int64.max])
        #expect(contents.integers(named: "small") == [-5, 6, Int64(Int32.min)])
    }

    @Test func lookupsDistinguishFloatsFromIntegers() throws {
        let data = float32Bytes([1]) + littleEndianBytes(Int64(9))
        let header = """
        {"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"n":{"dtype":"I64","shape":[1],"data_offsets":[4,12]}}
        """
        let contents = try safeTensorsBytes(header: header, data: data).withUnsafeBytes {
            try SafeTensors(decoding: $0, source: "memory")
        }
        #expect(contents["n"] == nil)
        #expect(contents["missing"] == nil)
        #expect(contents.integers(named: "w") == nil)
        #expect(contents.integers(named: "n") == [9])
        #expect(contents.contains("w") && !contents.contains("missing"))
        #expect(contents.entry(named: "n")?.value.shape == [1])
        #expect(contents.count == 2)
    }

    @Test func emptyTensorsAndAnEmptyFileRead() throws {
        let header = """
        {"empty":{"dtype":"F32","shape":[0,3],"data_offsets":[0,0]},"one":{"dtype":"BF16","shape":[1],"data_offsets":[0,2]}}
        """
        let contents = try safeTensorsBytes(header: header, data: [0x80, 0x3F]).withUnsafeBytes {
            try SafeTensors(decoding: $0, source: "memory")
        }
        #expect(contents["empty"]?.shape == [0, 3])
        #expect(contents["empty"]?.scalars == [])
        #expect(contents["one"]?.scalars == [1])

        let nothing = try safeTensorsBytes(header: "{}").withUnsafeBytes {
            try SafeTensors(decoding: $0, source: "memory")
        }
        #expect(nothing.count == 0 && nothing.metadata.isEmpty)
    }

    @Test func missingFileIsUnreadable() throws {
        let directory = try TemporaryDirectory()
        let url = directory.file("absent.safetensors")
        #expect(throws: SafeTensorsError.self) { try SafeTensors(contentsOf: url) }
        do {
            _ = try SafeTensors(contentsOf: url)
        } catch {
            guard case .unreadable(let path, _) = error else {
                Issue.record("expected unreadable, got \(error)")
                return
            }
            #expect(path == url.path)
        }
    }

    @Test func mutatedFilesThrowInsteadOfCrashing() throws {
        let data = float32Bytes([1, 2, 3, 4, 5, 6]) + littleEndianBytes(Int64(3))
        let header = """
        {"__metadata__":{"k":"v"},"a":{"dtype":"F32","shape":[2,3],"data_offsets":[0,24]},\
        "b":{"dtype":"I64","shape":[],"data_offsets":[24,32]}}
        """
        let valid = safeTensorsBytes(header: header, padding: 2, data: data)
        var generator = SeededGenerator(seed: 0x5AFE)
        for _ in 0..<3000 {
            var bytes = valid
            switch generator.next() % 3 {
            case 0:
                let index = Int(generator.next() % UInt64(bytes.count))
                bytes[index] = UInt8(truncatingIfNeeded: generator.next())
            case 1:
                bytes.removeLast(Int(generator.next() % UInt64(bytes.count)))
            default:
                let index = Int(generator.next() % UInt64(bytes.count))
                bytes.insert(UInt8(truncatingIfNeeded: generator.next()), at: index)
            }
            _ = try? bytes.withUnsafeBytes { try SafeTensors(decoding: $0, source: "mutated") }
        }
    }
}
