import Foundation
import Interop
import TensorCore
import Testing

@Suite struct SafeTensorsWritingTests {
    /// A collection with every kind of entry the writer stores.
    private func sample() -> SafeTensors {
        var contents = SafeTensors(metadata: ["format": "pt", "note": "quote \" backslash \\ newline \n tab \t ünï/code \u{1}"])
        contents.insert(Tensor(shape: [2, 3], scalars: [1, -2, 3.25, .infinity, -0.0, 1e-30]), named: "conv1.weight")
        contents.insert(Tensor(shape: [4], scalars: [0.1, -7, 1000, 3.14159], dtype: .bfloat16), named: "fc.bias")
        contents.insert(IntegerArray(shape: [], values: [12345]), named: "bn1.num_batches_tracked")
        contents.insert(IntegerArray(shape: [3], values: [-1, 0, .max]), named: "labels")
        contents.insert(Tensor(zeros: [0, 5]), named: "empty")
        return contents
    }

    @Test func roundTripPreservesTensorsAndMetadata() throws {
        let directory = try TemporaryDirectory()
        let url = directory.file("model.safetensors")
        let original = sample()
        try original.write(to: url)

        let read = try SafeTensors(contentsOf: url)

        #expect(read.metadata == original.metadata)
        #expect(Set(read.names) == Set(original.names))
        for name in ["conv1.weight", "fc.bias", "empty"] {
            let before = try #require(original[name])
            let after = try #require(read[name])
            #expect(after.shape == before.shape && after.dtype == before.dtype && after.format == .plain)
            let beforeBytes = UnsafeRawBufferPointer(start: before.storage.pointer, count: before.byteCount)
            let afterBytes = UnsafeRawBufferPointer(start: after.storage.pointer, count: after.byteCount)
            #expect(Array(beforeBytes) == Array(afterBytes), "bytes of \(name) differ")
        }
        #expect(read.integerArray(named: "bn1.num_batches_tracked") == IntegerArray(shape: [], values: [12345]))
        #expect(read.integers(named: "labels") == [-1, 0, .max])
    }

    @Test func entriesAreOrderedByDTypeThenNameAndAligned() throws {
        var contents = SafeTensors()
        contents.insert(Tensor(shape: [1], scalars: [1], dtype: .bfloat16), named: "b")
        contents.insert(Tensor(shape: [1], scalars: [1], dtype: .bfloat16), named: "a")
        contents.insert(Tensor(shape: [1], scalars: [2]), named: "z")
        contents.insert(Tensor(shape: [1], scalars: [2]), named: "Y")
        contents.insert(IntegerArray(shape: [1], values: [3]), named: "m")
        let directory = try TemporaryDirectory()
        let url = directory.file("order.safetensors")
        try contents.write(to: url)

        let read = try SafeTensors(contentsOf: url)
        #expect(read.names == ["m", "Y", "z", "a", "b"])
        let header = String(decoding: try Data(contentsOf: url).dropFirst(8), as: UTF8.self)
        #expect(header.hasPrefix("""
        {"m":{"dtype":"I64","shape":[1],"data_offsets":[0,8]},\
        "Y":{"dtype":"F32","shape":[1],"data_offsets":[8,12]},\
        "z":{"dtype":"F32","shape":[1],"data_offsets":[12,16]},\
        "a":{"dtype":"BF16","shape":[1],"data_offsets":[16,18]},\
        "b":{"dtype":"BF16","shape":[1],"data_offsets":[18,20]}}
        """))
    }

    @Test func fileBytesFollowTheFormatExactly() throws {
        var contents = SafeTensors(metadata: ["format": "pt"])
        contents.insert(Tensor(shape: [1, 2], scalars: [1, 2]), named: "head.weight")
        let directory = try TemporaryDirectory()
        let url = directory.file("exact.safetensors")
        try contents.write(to: url)

        let json = #"{"__metadata__":{"format":"pt"},"head.weight":{"dtype":"F32","shape":[1,2],"data_offsets":[0,8]}}"#
        let padding = (8 - json.utf8.count % 8) % 8
        let expected = safeTensorsBytes(header: json, padding: padding, data: float32Bytes([1, 2]))
        #expect(Array(try Data(contentsOf: url)) == expected)
        #expect((8 + json.utf8.count + padding) % 8 == 0)
    }

    @Test func emptyCollectionWritesBracesPaddedToEightBytes() throws {
        let directory = try TemporaryDirectory()
        let url = directory.file("empty.safetensors")
        try SafeTensors().write(to: url)
        #expect(Array(try Data(contentsOf: url)) == littleEndianBytes(UInt64(8)) + Array("{}      ".utf8))
        #expect(try SafeTensors(contentsOf: url).count == 0)
    }

    @Test func insertingAnExistingNameReplacesItInPlace() {
        var contents = SafeTensors()
        contents.insert(Tensor(shape: [1], scalars: [1]), named: "a")
        contents.insert(Tensor(shape: [1], scalars: [2]), named: "b")
        contents.insert(IntegerArray(shape: [2], values: [5, 6]), named: "a")
        #expect(contents.names == ["a", "b"])
        #expect(contents.integers(named: "a") == [5, 6])
        #expect(contents["a"] == nil)
    }

    @Test func writingIntoAMissingDirectoryThrows() throws {
        let directory = try TemporaryDirectory()
        let url = directory.file("missing").appendingPathComponent("model.safetensors")
        #expect(throws: SafeTensorsError.self) { try sample().write(to: url) }
        do {
            try sample().write(to: url)
        } catch {
            guard case .writeFailed(let path, _) = error else {
                Issue.record("expected writeFailed, got \(error)")
                return
            }
            #expect(path == url.path)
            #expect(error.description.contains(url.path))
        }
        #expect(try directory.contents() == [])
    }

    @Test func writingOverAnExistingFileReplacesItFullyAndLeavesNoTemporaryFiles() throws {
        let directory = try TemporaryDirectory()
        let url = directory.file("model.safetensors")
        var large = SafeTensors()
        large.insert(Tensor(repeating: 7, shape: [256, 256]), named: "big")
        try large.write(to: url)
        let largeSize = try Data(contentsOf: url).count

        var small = SafeTensors(metadata: ["stage": "2"])
        small.insert(Tensor(shape: [2], scalars: [1, 2]), named: "small")
        try small.write(to: url)

        let bytes = try Data(contentsOf: url)
        #expect(bytes.count < largeSize)
        let read = try SafeTensors(contentsOf: url)
        #expect(read.names == ["small"] && read.metadata == ["stage": "2"])
        #expect(read["small"]?.scalars == [1, 2])
        #expect(try directory.contents() == ["model.safetensors"])
    }

    @Test func failedWriteOverADirectoryLeavesItAndNoTemporaryFiles() throws {
        let directory = try TemporaryDirectory()
        let url = directory.file("occupied")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: false)
        try FileManager.default.createDirectory(at: url.appendingPathComponent("keep"),
                                                withIntermediateDirectories: false)
        #expect(throws: SafeTensorsError.self) { try sample().write(to: url) }
        #expect(try directory.contents() == ["occupied"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: url.path) == ["keep"])
    }

    @Test func insertingABlockedTensorIsAProgrammerError() async {
        await #expect(processExitsWith: .failure) {
            let layout = BlockedLayout(descriptor: [1], key: [1], name: "nChw16c", byteCount: 64)
            let blocked = Tensor(shape: [1, 16], dtype: .float32, format: .blocked(layout),
                                 storage: TensorStorage(byteCount: 64))
            var contents = SafeTensors()
            contents.insert(blocked, named: "activations")
        }
    }
}
