/// The fields of one 512-byte tar header block, decoded but not yet combined with extension headers.
///
/// Layout (POSIX ustar, which GNU tar extends): name at 0 (100 bytes), size at
/// 124 (12 bytes, octal text or GNU base-256), checksum at 148 (8 bytes), type
/// flag at 156, magic at 257 (`ustar\0` for POSIX, `ustar  \0` for GNU), prefix at
/// 345 (155 bytes, joined to the name with `/` in POSIX archives only: GNU uses
/// that area for other fields).
struct TarHeader {
    /// Bytes in a header block, and the unit tar pads data to.
    static let blockSize = 512

    /// The name field, joined to the POSIX prefix when there is one.
    let name: String
    /// The type flag byte.
    let typeFlag: UInt8
    /// The size field.
    let size: Int

    /// Why a block could not be decoded; the reader adds the archive and the offset.
    enum Failure: Error {
        /// The stored checksum matches neither the unsigned nor the signed sum of the block.
        case checksum(stored: Int, computed: Int)
        /// A numeric field is neither octal text nor GNU base-256.
        case field(name: String, text: String)
    }

    /// Whether every byte of `block` is zero: the end-of-archive marker.
    static func isEndOfArchive(_ block: ArraySlice<UInt8>) -> Bool {
        block.allSatisfy { $0 == 0 }
    }

    /// Decodes one non-zero header block of exactly 512 bytes.
    init(block: ArraySlice<UInt8>) throws(Failure) {
        let bytes = Array(block)
        let storedChecksum = try Self.number(bytes[148..<156], field: "checksum")
        var unsignedSum = 0
        var signedSum = 0
        for (offset, byte) in bytes.enumerated() {
            let counted = (148..<156).contains(offset) ? UInt8(ascii: " ") : byte
            unsignedSum += Int(counted)
            signedSum += Int(Int8(bitPattern: counted))
        }
        guard storedChecksum == unsignedSum || storedChecksum == signedSum else {
            throw .checksum(stored: storedChecksum, computed: unsignedSum)
        }
        let isPOSIX = bytes[257..<263].elementsEqual("ustar\0".utf8)
        let baseName = Self.text(bytes[0..<100])
        let prefix = isPOSIX ? Self.text(bytes[345..<500]) : ""
        name = prefix.isEmpty ? baseName : prefix + "/" + baseName
        typeFlag = bytes[156]
        size = try Self.number(bytes[124..<136], field: "size")
    }

    /// A NUL-terminated text field, decoded as UTF-8 (invalid bytes replaced).
    static func text(_ field: ArraySlice<UInt8>) -> String {
        let end = field.firstIndex(of: 0) ?? field.endIndex
        return String(decoding: field[field.startIndex..<end], as: UTF8.self)
    }

    /// A numeric field: octal digits (leading and trailing spaces allowed, ended
    /// by NUL or space, empty meaning 0) or, when the first byte has its high bit
    /// set, GNU's big-endian base-256 for values octal cannot hold.
    static func number(_ field: ArraySlice<UInt8>, field name: String) throws(Failure) -> Int {
        guard let first = field.first else { return 0 }
        if first & 0x80 != 0 {
            guard first == 0x80 else { throw .field(name: name, text: "negative base-256 value") }
            var value = 0
            for byte in field.dropFirst() {
                let (shifted, overflow) = value.multipliedReportingOverflow(by: 256)
                guard !overflow else { throw .field(name: name, text: "base-256 value too large") }
                value = shifted | Int(byte)
            }
            return value
        }
        let end = field.firstIndex(of: 0) ?? field.endIndex
        let digits = field[field.startIndex..<end].drop { $0 == UInt8(ascii: " ") }.prefix { $0 != UInt8(ascii: " ") }
        var value = 0
        for digit in digits {
            guard digit >= UInt8(ascii: "0") && digit <= UInt8(ascii: "7") else {
                throw .field(name: name, text: String(decoding: field, as: UTF8.self))
            }
            let (shifted, overflow) = value.multipliedReportingOverflow(by: 8)
            guard !overflow else { throw .field(name: name, text: String(decoding: field, as: UTF8.self)) }
            value = shifted + Int(digit - UInt8(ascii: "0"))
        }
        let rest = field[field.startIndex..<end].drop { $0 == UInt8(ascii: " ") }.drop { $0 != UInt8(ascii: " ") }
        guard rest.allSatisfy({ $0 == UInt8(ascii: " ") }) else {
            throw .field(name: name, text: String(decoding: field, as: UTF8.self))
        }
        return value
    }
}
