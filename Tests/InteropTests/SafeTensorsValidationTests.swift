import Foundation
import Interop
import Testing

/// Every malformed file is rejected with the matching error, naming the file and the tensor where there is one.
@Suite struct SafeTensorsValidationTests {
    @Test func fileShorterThanEightBytesIsRejected() throws {
        let directory = try TemporaryDirectory()
        let (error, path) = try readFailure([1, 2, 3], in: directory)
        #expect(error == .fileTooShort(path: path, byteCount: 3))
    }

    @Test func emptyFileIsRejected() throws {
        let directory = try TemporaryDirectory()
        let (error, path) = try readFailure([], in: directory)
        #expect(error == .fileTooShort(path: path, byteCount: 0))
    }

    @Test func headerLongerThanTheFileIsRejected() throws {
        let directory = try TemporaryDirectory()
        let bytes = littleEndianBytes(UInt64(100)) + Array("{}        ".utf8)
        let (error, path) = try readFailure(bytes, in: directory)
        #expect(error == .headerPastEndOfFile(path: path, headerByteCount: 100, fileByteCount: 10))
        #expect(error.description.contains("100"))
    }

    @Test func hugeHeaderLengthIsRejectedBeforeParsing() throws {
        let directory = try TemporaryDirectory()
        let bytes = littleEndianBytes(UInt64.max) + Array("{}".utf8)
        let (error, path) = try readFailure(bytes, in: directory)
        #expect(error == .headerTooLarge(path: path, headerByteCount: .max, limit: 100_000_000))
    }

    @Test func headerThatIsNotUTF8IsRejected() throws {
        let directory = try TemporaryDirectory()
        let bytes = littleEndianBytes(UInt64(4)) + [UInt8(ascii: "{"), 0xFF, UInt8(ascii: "}"), 0x20]
        let (error, path) = try readFailure(bytes, in: directory)
        #expect(error == .headerNotUTF8(path: path))
    }

    @Test func headerThatIsNotJSONIsRejected() throws {
        let directory = try TemporaryDirectory()
        let (error, _) = try readFailure(safeTensorsBytes(header: #"{"a": "#), in: directory)
        guard case .headerNotJSON = error else {
            Issue.record("expected headerNotJSON, got \(error)")
            return
        }
    }

    @Test func headerThatIsNotAnObjectIsRejected() throws {
        let directory = try TemporaryDirectory()
        let (error, path) = try readFailure(safeTensorsBytes(header: "[1, 2]"), in: directory)
        #expect(error == .headerNotObject(path: path, found: "an array of 2 values"))
    }

    @Test func metadataMustMapStringsToStrings() throws {
        let directory = try TemporaryDirectory()
        let notObject = try readFailure(safeTensorsBytes(header: #"{"__metadata__":[]}"#), in: directory)
        #expect(notObject.error == .metadataNotObject(path: notObject.path, found: "an array of 0 values"))
        let notString = try readFailure(safeTensorsBytes(header: #"{"__metadata__":{"epochs":90}}"#), in: directory)
        #expect(notString.error == .metadataValueNotString(path: notString.path, key: "epochs",
                                                           found: "the number 90"))
        #expect(notString.error.description.contains("epochs"))
    }

    @Test func entryThatIsNotAnObjectNamesTheTensor() throws {
        let directory = try TemporaryDirectory()
        let (error, path) = try readFailure(safeTensorsBytes(header: #"{"conv1.weight":true}"#), in: directory)
        #expect(error == .entryNotObject(path: path, tensor: "conv1.weight", found: "true"))
        #expect(error.description.contains("conv1.weight"))
    }

    @Test(arguments: [
        ("dtype", #"{"w":{"shape":[1],"data_offsets":[0,4]}}"#),
        ("shape", #"{"w":{"dtype":"F32","data_offsets":[0,4]}}"#),
        ("data_offsets", #"{"w":{"dtype":"F32","shape":[1]}}"#),
    ])
    func missingFieldNamesTheTensorAndTheField(field: String, header: String) throws {
        let directory = try TemporaryDirectory()
        let (error, path) = try readFailure(safeTensorsBytes(header: header, data: [0, 0, 0, 0]), in: directory)
        #expect(error == .missingField(path: path, tensor: "w", field: field))
        #expect(error.description.contains("\"w\"") && error.description.contains(field))
    }

    @Test(arguments: [
        ("dtype", #"{"w":{"dtype":32,"shape":[1],"data_offsets":[0,4]}}"#, "the number 32"),
        ("shape", #"{"w":{"dtype":"F32","shape":"1","data_offsets":[0,4]}}"#, "the string \"1\""),
        ("shape", #"{"w":{"dtype":"F32","shape":[1.5],"data_offsets":[0,4]}}"#, "the number 1.5 at index 0"),
        ("shape", #"{"w":{"dtype":"F32","shape":[1,-1],"data_offsets":[0,4]}}"#, "the number -1 at index 1"),
        ("shape", #"{"w":{"dtype":"F32","shape":[true],"data_offsets":[0,4]}}"#, "true at index 0"),
        ("shape", #"{"w":{"dtype":"F32","shape":[2.0],"data_offsets":[0,4]}}"#, "the number 2"),
        ("data_offsets", #"{"w":{"dtype":"F32","shape":[1],"data_offsets":[4]}}"#, "an array of 1 integers"),
        ("data_offsets", #"{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,"4"]}}"#, "the string \"4\" at index 1"),
        ("data_offsets", #"{"w":{"dtype":"F32","shape":[1],"data_offsets":null}}"#, "null"),
    ])
    func illTypedFieldSaysWhatWasExpectedAndFound(field: String, header: String, found: String) throws {
        let directory = try TemporaryDirectory()
        let (error, _) = try readFailure(safeTensorsBytes(header: header, data: [0, 0, 0, 0]), in: directory)
        guard case .illTypedField(_, let tensor, let reportedField, _, let reportedFound) = error else {
            Issue.record("expected illTypedField, got \(error)")
            return
        }
        #expect(tensor == "w")
        #expect(reportedField == field)
        #expect(reportedFound.hasPrefix(found))
        #expect(error.description.contains("should be"))
    }

    @Test func unknownDTypeIsRejected() throws {
        let directory = try TemporaryDirectory()
        let header = #"{"w":{"dtype":"F33","shape":[1],"data_offsets":[0,4]}}"#
        let (error, path) = try readFailure(safeTensorsBytes(header: header, data: [0, 0, 0, 0]), in: directory)
        #expect(error == .unknownDType(path: path, tensor: "w", dtype: "F33"))
    }

    @Test func unsupportedDTypeListsWhatHoneReads() throws {
        let directory = try TemporaryDirectory()
        let header = #"{"mask":{"dtype":"BOOL","shape":[4],"data_offsets":[0,4]}}"#
        let (error, path) = try readFailure(safeTensorsBytes(header: header, data: [0, 1, 0, 1]), in: directory)
        #expect(error == .unsupportedDType(path: path, tensor: "mask", dtype: "BOOL"))
        for name in ["mask", "BOOL", "F32", "BF16", "F16", "I64"] {
            #expect(error.description.contains(name))
        }
    }

    @Test func offsetsThatBeginAfterTheyEndAreRejected() throws {
        let directory = try TemporaryDirectory()
        let header = #"{"w":{"dtype":"F32","shape":[1],"data_offsets":[8,4]}}"#
        let (error, path) = try readFailure(safeTensorsBytes(header: header, data: [0, 0, 0, 0]), in: directory)
        #expect(error == .offsetsReversed(path: path, tensor: "w", begin: 8, end: 4))
    }

    @Test func byteCountMustMatchShapeAndDType() throws {
        let directory = try TemporaryDirectory()
        let header = #"{"fc.bias":{"dtype":"F32","shape":[2,3],"data_offsets":[0,20]}}"#
        let (error, path) = try readFailure(safeTensorsBytes(header: header, data: Array(repeating: 0, count: 20)),
                                            in: directory)
        #expect(error == .byteCountMismatch(path: path, tensor: "fc.bias", dtype: "F32", shape: [2, 3],
                                            expected: 24, found: 20))
        #expect(error.description.contains("24") && error.description.contains("20"))
    }

    @Test func shapeWhoseByteCountOverflowsIsRejected() throws {
        let directory = try TemporaryDirectory()
        let header = #"{"w":{"dtype":"F32","shape":[4611686018427387904],"data_offsets":[0,4]}}"#
        let (error, path) = try readFailure(safeTensorsBytes(header: header, data: [0, 0, 0, 0]), in: directory)
        #expect(error == .shapeOverflows(path: path, tensor: "w", shape: [4_611_686_018_427_387_904]))
    }

    @Test func truncatedFileNamesTheTensor() throws {
        let directory = try TemporaryDirectory()
        let header = """
        {"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"layer4.weight":{"dtype":"F32","shape":[4],"data_offsets":[8,24]}}
        """
        let (error, path) = try readFailure(safeTensorsBytes(header: header, data: float32Bytes([1, 2, 3, 4])),
                                            in: directory)
        #expect(error == .dataPastEnd(path: path, tensor: "layer4.weight", end: 24, dataByteCount: 16))
        #expect(error.description.contains("layer4.weight") && error.description.contains("truncated"))
    }

    @Test func holeBetweenTensorsIsRejected() throws {
        let directory = try TemporaryDirectory()
        let header = """
        {"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}
        """
        let (error, path) = try readFailure(safeTensorsBytes(header: header, data: float32Bytes([1, 2, 3])),
                                            in: directory)
        #expect(error == .hole(path: path, tensor: "b", begin: 8, expectedBegin: 4))
    }

    @Test func overlappingTensorsAreRejected() throws {
        let directory = try TemporaryDirectory()
        let header = """
        {"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}
        """
        let (error, path) = try readFailure(safeTensorsBytes(header: header, data: float32Bytes([1, 2, 3])),
                                            in: directory)
        #expect(error == .overlap(path: path, tensor: "b", other: "a", begin: 4, otherEnd: 8))
        #expect(error.description.contains("\"a\"") && error.description.contains("\"b\""))
    }

    @Test func trailingBytesNoTensorClaimsAreRejected() throws {
        let directory = try TemporaryDirectory()
        let header = #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#
        let (error, path) = try readFailure(safeTensorsBytes(header: header, data: float32Bytes([1, 2])),
                                            in: directory)
        #expect(error == .uncoveredTrailingBytes(path: path, coveredByteCount: 4, dataByteCount: 8))
    }

    @Test func offsetsBeyondSignedRangeAreComparedExactly() throws {
        let directory = try TemporaryDirectory()
        let header = """
        {"far":{"dtype":"I64","shape":[1],"data_offsets":[18446744073709551607,18446744073709551615]}}
        """
        let (error, path) = try readFailure(safeTensorsBytes(header: header, data: Array(repeating: 0, count: 8)),
                                            in: directory)
        #expect(error == .hole(path: path, tensor: "far", begin: 18_446_744_073_709_551_607, expectedBegin: 0))
        #expect(error.description.contains("18446744073709551607"))
    }
}
