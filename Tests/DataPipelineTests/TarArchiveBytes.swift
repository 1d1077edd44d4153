/// Builds tar archives byte by byte, independently of the reader under test.
///
/// Layout written: POSIX ustar headers (name at 0, mode 100, uid 108, gid 116,
/// size 124, mtime 136, checksum 148, type flag 156, magic `ustar\0` `00` at
/// 257, prefix at 345), data padded with zeros to 512 bytes, and two zero
/// blocks at the end. Tests of malformed archives cut or edit the result.
enum TarArchiveBytes {
    /// One 512-byte header; `checksumAdjustment` corrupts the stored checksum on purpose.
    static func header(
        name: String, size: Int, typeFlag: Character = "0", prefix: String = "", checksumAdjustment: Int = 0
    ) -> [UInt8] {
        var block = [UInt8](repeating: 0, count: 512)
        func put(_ text: String, at offset: Int, width: Int) {
            let bytes = Array(text.utf8)
            precondition(bytes.count <= width, "\(text) does not fit in \(width) bytes")
            block.replaceSubrange(offset..<(offset + bytes.count), with: bytes)
        }
        func octal(_ value: Int, width: Int) -> String {
            let digits = String(value, radix: 8)
            return String(repeating: "0", count: width - 1 - digits.count) + digits
        }
        put(name, at: 0, width: 100)
        put(octal(0o644, width: 8), at: 100, width: 8)
        put(octal(0, width: 8), at: 108, width: 8)
        put(octal(0, width: 8), at: 116, width: 8)
        put(octal(size, width: 12), at: 124, width: 12)
        put(octal(0, width: 12), at: 136, width: 12)
        put(String(typeFlag), at: 156, width: 1)
        put("ustar", at: 257, width: 6)
        put("00", at: 263, width: 2)
        put(prefix, at: 345, width: 155)
        put("        ", at: 148, width: 8)
        let sum = block.reduce(0) { $0 + Int($1) } + checksumAdjustment
        put(octal(sum, width: 7), at: 148, width: 7)
        return block
    }

    /// A header followed by `data` padded to a multiple of 512 bytes.
    static func member(name: String, data: [UInt8], typeFlag: Character = "0", prefix: String = "") -> [UInt8] {
        header(name: name, size: data.count, typeFlag: typeFlag, prefix: prefix) + padded(data)
    }

    /// A regular file whose data is `text` in UTF-8.
    static func file(_ name: String, _ text: String) -> [UInt8] {
        member(name: name, data: Array(text.utf8))
    }

    /// A pax extended header (`x`) carrying `records` for the member after it.
    static func paxHeader(_ records: [(key: String, value: String)]) -> [UInt8] {
        var data: [UInt8] = []
        for (key, value) in records {
            let body = " \(key)=\(value)\n"
            var length = body.utf8.count + 1
            while String(length).utf8.count + body.utf8.count != length {
                length = String(length).utf8.count + body.utf8.count
            }
            data += Array("\(length)\(body)".utf8)
        }
        return member(name: "PaxHeaders/x", data: data, typeFlag: "x")
    }

    /// A GNU long-name member (`L`) naming the member after it.
    static func gnuLongName(_ name: String) -> [UInt8] {
        member(name: "././@LongLink", data: Array(name.utf8) + [0], typeFlag: "L")
    }

    /// The end-of-archive marker: two zero blocks.
    static let end = [UInt8](repeating: 0, count: 1024)

    /// `data` followed by zeros up to a multiple of 512 bytes.
    static func padded(_ data: [UInt8]) -> [UInt8] {
        data + [UInt8](repeating: 0, count: (512 - data.count % 512) % 512)
    }
}

extension TarArchiveBytes {
    /// `header` with its size field replaced by `field` (12 bytes) and its checksum recomputed, for base-256 sizes.
    static func replacingSizeField(of header: [UInt8], with field: [UInt8]) -> [UInt8] {
        precondition(field.count == 12, "the size field is 12 bytes")
        var block = header
        block.replaceSubrange(124..<136, with: field)
        block.replaceSubrange(148..<156, with: Array("        ".utf8))
        let digits = String(block.reduce(0) { $0 + Int($1) }, radix: 8)
        block.replaceSubrange(148..<155, with: Array((String(repeating: "0", count: 6 - digits.count) + digits + "\0").utf8))
        return block
    }
}
