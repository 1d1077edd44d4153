import Foundation

extension SafeTensorsHeader {
    /// Parses and validates the header at the start of a whole safetensors file held in `file`.
    ///
    /// Shapes: `file` is the 8-byte little-endian header length N, N bytes of JSON,
    /// then the data section; `dataStart` is 8 + N. Why validate everything here:
    /// after this returns, every entry's range lies inside the data section and
    /// matches its dtype and shape, so copying tensors out cannot read out of bounds.
    /// Entries are checked in name order, so a file with several faults always
    /// reports the same one.
    static func parse(file: UnsafeRawBufferPointer, path: String) throws(SafeTensorsError)
        -> (header: SafeTensorsHeader, dataStart: Int)
    {
        guard file.count >= 8 else { throw .fileTooShort(path: path, byteCount: file.count) }
        let headerByteCount = UInt64(littleEndian: file.loadUnaligned(as: UInt64.self))
        guard headerByteCount <= UInt64(maximumByteCount) else {
            throw .headerTooLarge(path: path, headerByteCount: headerByteCount, limit: maximumByteCount)
        }
        let dataStart = 8 + Int(headerByteCount)
        guard dataStart <= file.count else {
            throw .headerPastEndOfFile(path: path, headerByteCount: headerByteCount, fileByteCount: file.count - 8)
        }
        let headerBytes = UnsafeRawBufferPointer(rebasing: file[8..<dataStart])
        let object = try jsonObject(headerBytes, path: path)

        var metadata: [String: String] = [:]
        var entries: [Entry] = []
        entries.reserveCapacity(object.count)
        for (name, value) in object.sorted(by: { $0.key < $1.key }) {
            if name == SafeTensors.metadataKey {
                metadata = try parseMetadata(value, path: path)
            } else {
                entries.append(try parseEntry(name: name, value: value, path: path))
            }
        }
        entries.sort { ($0.begin, $0.end, $0.name) < ($1.begin, $1.end, $1.name) }
        try validateLayout(entries, dataByteCount: file.count - dataStart, path: path)
        return (SafeTensorsHeader(metadata: metadata, entries: entries), dataStart)
    }

    /// The header's JSON object, after checking that its bytes are UTF-8.
    private static func jsonObject(_ bytes: UnsafeRawBufferPointer, path: String) throws(SafeTensorsError)
        -> [String: Any]
    {
        let hasEncodingErrors = transcode(bytes.makeIterator(), from: UTF8.self, to: UTF32.self,
                                          stoppingOnError: true) { _ in }
        guard !hasEncodingErrors else { throw .headerNotUTF8(path: path) }
        let parsed: Any
        do {
            parsed = try JSONSerialization.jsonObject(with: Data(bytes))
        } catch {
            let reason = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String
            throw .headerNotJSON(path: path, reason: reason ?? error.localizedDescription)
        }
        guard let object = parsed as? [String: Any] else {
            throw .headerNotObject(path: path, found: describe(parsed))
        }
        return object
    }

    /// The `__metadata__` object as string pairs.
    private static func parseMetadata(_ value: Any, path: String) throws(SafeTensorsError) -> [String: String] {
        guard let object = value as? [String: Any] else {
            throw .metadataNotObject(path: path, found: describe(value))
        }
        var metadata: [String: String] = [:]
        for (key, item) in object {
            guard let string = item as? String else {
                throw .metadataValueNotString(path: path, key: key, found: describe(item))
            }
            metadata[key] = string
        }
        return metadata
    }

    /// One tensor's entry, with its fields type-checked and its byte count checked against dtype and shape.
    private static func parseEntry(name: String, value: Any, path: String) throws(SafeTensorsError) -> Entry {
        guard let fields = value as? [String: Any] else {
            throw .entryNotObject(path: path, tensor: name, found: describe(value))
        }
        func field(_ key: String) throws(SafeTensorsError) -> Any {
            guard let item = fields[key] else { throw .missingField(path: path, tensor: name, field: key) }
            return item
        }
        func integers(_ key: String, expected: String) throws(SafeTensorsError) -> [UInt64] {
            let item = try field(key)
            guard let array = item as? [Any] else {
                throw .illTypedField(path: path, tensor: name, field: key, expected: expected, found: describe(item))
            }
            var result: [UInt64] = []
            result.reserveCapacity(array.count)
            for (index, element) in array.enumerated() {
                guard let integer = nonNegativeInteger(element) else {
                    throw .illTypedField(path: path, tensor: name, field: key, expected: expected,
                                         found: "\(describe(element)) at index \(index)")
                }
                result.append(integer)
            }
            return result
        }

        let dtypeValue = try field("dtype")
        guard let dtypeName = dtypeValue as? String else {
            throw .illTypedField(path: path, tensor: name, field: "dtype",
                                 expected: "a dtype name such as \"F32\"", found: describe(dtypeValue))
        }
        guard let dtype = SafeTensorsDType(rawValue: dtypeName) else {
            if SafeTensorsDType.otherFormatNames.contains(dtypeName) {
                throw .unsupportedDType(path: path, tensor: name, dtype: dtypeName)
            }
            throw .unknownDType(path: path, tensor: name, dtype: dtypeName)
        }
        let shape = try integers("shape", expected: "an array of non-negative integers")
        let offsetsExpectation = "two non-negative integers [begin, end]"
        let offsets = try integers("data_offsets", expected: offsetsExpectation)
        guard offsets.count == 2 else {
            throw .illTypedField(path: path, tensor: name, field: "data_offsets", expected: offsetsExpectation,
                                 found: "an array of \(offsets.count) integers")
        }
        let (begin, end) = (offsets[0], offsets[1])
        guard begin <= end else { throw .offsetsReversed(path: path, tensor: name, begin: begin, end: end) }

        var byteCount = UInt64(dtype.byteCount)
        var overflows = false
        for dimension in shape {
            let (product, overflow) = byteCount.multipliedReportingOverflow(by: dimension)
            overflows = overflows || overflow || dimension > UInt64(Int.max)
            byteCount = product
        }
        guard !overflows, byteCount <= UInt64(Int.max) else {
            throw .shapeOverflows(path: path, tensor: name, shape: shape)
        }
        guard end - begin == byteCount else {
            throw .byteCountMismatch(path: path, tensor: name, dtype: dtypeName, shape: shape,
                                     expected: byteCount, found: end - begin)
        }
        return Entry(name: name, dtype: dtype, shape: shape.map { Int($0) }, begin: begin, end: end)
    }

    /// Checks that `entries`, sorted by offset, tile the data section exactly: no holes, no overlaps, nothing past the end.
    ///
    /// Why: the format requires contiguous coverage, and an uncovered or doubly
    /// claimed byte means the header and the data disagree.
    private static func validateLayout(_ entries: [Entry], dataByteCount: Int, path: String) throws(SafeTensorsError) {
        var covered: UInt64 = 0
        var previous: Entry?
        for entry in entries {
            if entry.begin > covered {
                throw .hole(path: path, tensor: entry.name, begin: entry.begin, expectedBegin: covered)
            }
            if entry.begin < covered, let previous {
                throw .overlap(path: path, tensor: entry.name, other: previous.name,
                               begin: entry.begin, otherEnd: covered)
            }
            if entry.end > UInt64(dataByteCount) {
                throw .dataPastEnd(path: path, tensor: entry.name, end: entry.end, dataByteCount: dataByteCount)
            }
            covered = entry.end
            previous = entry
        }
        guard covered == UInt64(dataByteCount) else {
            throw .uncoveredTrailingBytes(path: path, coveredByteCount: covered, dataByteCount: dataByteCount)
        }
    }

    /// The JSON number `value` as a non-negative integer, exactly; nil for booleans, fractions, negatives and non-numbers.
    ///
    /// Why inspect the type code: JSONSerialization returns `NSNumber` for booleans
    /// and floats too, and bridging would silently turn `true` into 1 and `2.5` into 2.
    private static func nonNegativeInteger(_ value: Any) -> UInt64? {
        guard let number = value as? NSNumber, !(number is NSDecimalNumber) else { return nil }
        switch String(cString: number.objCType) {
        case "Q", "L", "I", "S":
            return number.uint64Value
        case "q", "l", "i", "s":
            let signed = number.int64Value
            return signed >= 0 ? UInt64(signed) : nil
        default:
            return nil
        }
    }

    /// A short description of a JSON value for error messages, such as `the string "F32"` or `an array of 3 values`.
    private static func describe(_ value: Any) -> String {
        switch value {
        case let string as String:
            let shown = string.count > 40 ? String(string.prefix(40)) + "…" : string
            return "the string \"\(shown)\""
        case let number as NSNumber:
            if String(cString: number.objCType) == "c" { return number.boolValue ? "true" : "false" }
            return "the number \(number)"
        case let array as [Any]:
            return "an array of \(array.count) values"
        case is [String: Any]:
            return "an object"
        case is NSNull:
            return "null"
        default:
            return "a value of type \(type(of: value))"
        }
    }
}
