extension SafeTensorsHeader {
    /// The header as the reference writer emits it: compact JSON padded with spaces to a multiple of 8 bytes.
    ///
    /// Shapes: `__metadata__` first (omitted when empty, keys in byte order), then
    /// the entries in their data order, each as `{"dtype":…,"shape":[…],"data_offsets":[b,e]}`.
    /// Why the padding: with the 8-byte length in front, the data section then
    /// starts 8-byte aligned, so memory-mapping readers can use tensors in place.
    func encoded() -> [UInt8] {
        var json: [UInt8] = []
        json.append(UInt8(ascii: "{"))
        var needsComma = false
        func separate() {
            if needsComma { json.append(UInt8(ascii: ",")) }
            needsComma = true
        }
        if !metadata.isEmpty {
            separate()
            Self.appendString(SafeTensors.metadataKey, to: &json)
            json.append(contentsOf: Array(":{".utf8))
            let keys = metadata.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            for (index, key) in keys.enumerated() {
                if index > 0 { json.append(UInt8(ascii: ",")) }
                Self.appendString(key, to: &json)
                json.append(UInt8(ascii: ":"))
                Self.appendString(metadata[key] ?? "", to: &json)
            }
            json.append(UInt8(ascii: "}"))
        }
        for entry in entries {
            separate()
            Self.appendString(entry.name, to: &json)
            json.append(contentsOf: Array(":{\"dtype\":".utf8))
            Self.appendString(entry.dtype.headerName, to: &json)
            json.append(contentsOf: Array(",\"shape\":[".utf8))
            json.append(contentsOf: Array(entry.shape.map(String.init).joined(separator: ",").utf8))
            json.append(contentsOf: Array("],\"data_offsets\":[\(entry.begin),\(entry.end)]}".utf8))
        }
        json.append(UInt8(ascii: "}"))
        let padding = (8 - json.count % 8) % 8
        json.append(contentsOf: repeatElement(UInt8(ascii: " "), count: padding))
        return json
    }

    /// Appends `string` as a JSON string literal, escaping as the reference writer does.
    ///
    /// Quote and backslash get a backslash; backspace, form feed, newline, carriage
    /// return and tab get their short escapes; other control characters become
    /// `\u00xx` with lowercase hex; everything else, non-ASCII included, stays raw UTF-8.
    private static func appendString(_ string: String, to json: inout [UInt8]) {
        let hexDigits = Array("0123456789abcdef".utf8)
        json.append(UInt8(ascii: "\""))
        for byte in string.utf8 {
            switch byte {
            case UInt8(ascii: "\""): json.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): json.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case 0x08: json.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "b")])
            case 0x0C: json.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "f")])
            case 0x0A: json.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case 0x0D: json.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case 0x09: json.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0x00..<0x20:
                json.append(contentsOf: Array("\\u00".utf8))
                json.append(hexDigits[Int(byte >> 4)])
                json.append(hexDigits[Int(byte & 0x0F)])
            default:
                json.append(byte)
            }
        }
        json.append(UInt8(ascii: "\""))
    }
}
