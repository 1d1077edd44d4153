import CZlib

/// Inflates gzip-compressed bytes in memory with zlib.
///
/// Input: the whole compressed file as bytes; output: the whole inflated
/// payload. Data sets such as Fashion-MNIST ship as `.gz` files of a few tens of
/// megabytes, so inflating everything at once is simpler than streaming and
/// fits comfortably in memory. Concatenated gzip members (as `cat a.gz b.gz`
/// produces) are inflated one after another, as `gunzip` does.
public enum Gzip {
    /// The two bytes every gzip member starts with (RFC 1952).
    public static let magic: [UInt8] = [0x1f, 0x8b]

    /// Whether `bytes` begins with the gzip magic, so callers can accept both
    /// compressed and raw files without trusting the file name.
    public static func isCompressed(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 2 && bytes[0] == magic[0] && bytes[1] == magic[1]
    }

    /// Inflates a complete gzip stream.
    ///
    /// - Parameter compressed: one or more concatenated gzip members.
    /// - Returns: the concatenated inflated payloads.
    /// - Throws: `GzipError.truncated` when the stream stops early,
    ///   `GzipError.corrupt` when zlib rejects it.
    public static func decompress(_ compressed: [UInt8]) throws(GzipError) -> [UInt8] {
        let outcome = compressed.withUnsafeBufferPointer { input in
            inflateMembers(input, expectedSize: trailerSizeHint(compressed))
        }
        switch outcome {
        case let .inflated(bytes):
            return bytes
        case let .truncated(inflatedBytes):
            throw .truncated(compressedBytes: compressed.count, inflatedBytes: inflatedBytes)
        case let .corrupt(reason):
            throw .corrupt(reason: reason)
        }
    }

    /// What one pass of zlib over the input produced.
    ///
    /// Returned rather than thrown so that the pointer-scoped closure in
    /// `decompress` stays non-throwing.
    private enum Outcome {
        case inflated([UInt8])
        case truncated(inflatedBytes: Int)
        case corrupt(reason: String)
    }

    /// The inflated size the last member's trailer claims, used only to size the
    /// output buffer up front.
    ///
    /// gzip stores the size modulo 2^32 in the final four bytes (little-endian);
    /// a truncated or multi-member file makes it wrong, so it is capped and the
    /// buffer still grows when needed. The caller adds one spare byte so that a
    /// correct hint lets zlib reach the end-of-stream marker without growing.
    private static func trailerSizeHint(_ compressed: [UInt8]) -> Int {
        guard compressed.count >= 18 else { return 4096 }
        let tail = compressed.suffix(4)
        let claimed = tail.reversed().reduce(0) { ($0 << 8) | Int($1) }
        let plausibleCeiling = compressed.count * 1032 + 4096
        return max(4096, min(claimed, plausibleCeiling))
    }

    /// Runs zlib's inflate over every gzip member in `input`.
    ///
    /// `windowBits` of 16 + MAX_WBITS tells zlib to expect and verify the gzip
    /// header and CRC-32 trailer rather than a bare zlib stream.
    private static func inflateMembers(_ input: UnsafeBufferPointer<UInt8>, expectedSize: Int) -> Outcome {
        guard let inputBase = input.baseAddress, !input.isEmpty else {
            return .truncated(inflatedBytes: 0)
        }
        var stream = z_stream()
        let initStatus = inflateInit2_(&stream, 16 + MAX_WBITS, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard initStatus == Z_OK else {
            return .corrupt(reason: "zlib could not initialise (status \(initStatus))")
        }
        defer { inflateEnd(&stream) }

        stream.next_in = UnsafeMutablePointer(mutating: inputBase)
        stream.avail_in = 0
        var remainingInput = input.count
        var output = [UInt8](repeating: 0, count: expectedSize + 1)
        var produced = 0

        while true {
            if stream.avail_in == 0 && remainingInput > 0 {
                let chunk = min(remainingInput, Int(UInt32.max))
                stream.avail_in = UInt32(chunk)
                remainingInput -= chunk
            }
            if produced == output.count {
                output.append(contentsOf: repeatElement(0, count: max(output.count / 2, 65536)))
            }
            let room = min(output.count - produced, Int(UInt32.max))
            let status: Int32 = output.withUnsafeMutableBufferPointer { buffer in
                stream.next_out = buffer.baseAddress! + produced
                stream.avail_out = UInt32(room)
                return inflate(&stream, Z_NO_FLUSH)
            }
            produced += room - Int(stream.avail_out)

            switch status {
            case Z_STREAM_END:
                let moreInput = stream.avail_in > 0 || remainingInput > 0
                guard moreInput else {
                    output.removeLast(output.count - produced)
                    return .inflated(output)
                }
                guard inflateReset(&stream) == Z_OK else {
                    return .corrupt(reason: "zlib could not start the next gzip member")
                }
            case Z_OK:
                continue
            case Z_BUF_ERROR:
                let outOfInput = stream.avail_in == 0 && remainingInput == 0
                if outOfInput {
                    return .truncated(inflatedBytes: produced)
                }
            case Z_DATA_ERROR:
                return .corrupt(reason: zlibMessage(stream) ?? "invalid compressed data")
            case Z_MEM_ERROR:
                return .corrupt(reason: "zlib ran out of memory")
            default:
                return .corrupt(reason: zlibMessage(stream) ?? "zlib status \(status)")
            }
        }
    }

    /// zlib's own explanation of the last error, when it left one.
    private static func zlibMessage(_ stream: z_stream) -> String? {
        stream.msg.map { String(cString: $0) }
    }
}
