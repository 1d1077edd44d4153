/// Reads bytes as one big-endian unsigned integer, as JPEG and PNG headers store them (at most 4 bytes here).
func bigEndianInteger<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> Int {
    bytes.reduce(0) { ($0 << 8) | Int($1) }
}

/// Writes bytes as space-separated two-digit hex, such as `ff d8`, for error messages.
func hexBytes<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> String {
    guard !bytes.isEmpty else { return "nothing" }
    return bytes.map { byte in
        let digits = String(byte, radix: 16)
        return digits.count == 1 ? "0" + digits : digits
    }.joined(separator: " ")
}
