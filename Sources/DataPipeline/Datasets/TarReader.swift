import Foundation

/// Reads a tar archive front to back, one member at a time: POSIX ustar, GNU long names, pax extended headers.
///
/// Layout: each member is a 512-byte header followed by its data padded to a
/// multiple of 512 bytes; the archive ends with a zero block. A GNU `L` member
/// carries the next member's long name as its data, a pax `x` member carries
/// `key=value` records (`path`, `size`) for the next member; both are applied
/// here, so callers see only resolved members. Global pax headers (`g`) and GNU
/// long link names (`K`) are read and ignored.
///
/// The reader moves forward only: it reads headers and, when asked, a member's
/// data; data it is not asked for is skipped (by a forward seek when it is not
/// already buffered). Every length is checked against the file's size before it
/// is trusted, so a truncated or corrupt archive throws `TarError` naming the
/// file and the byte offset instead of reading past the end or allocating a
/// size taken from garbage. Not thread-safe: one reader per thread.
public final class TarReader {
    /// The largest GNU long-name or pax header the reader accepts; real ones are a few hundred bytes.
    public static let extendedHeaderLimit = 1 << 20

    /// The archive being read.
    public let url: URL
    /// The archive's size in bytes.
    public let fileSize: Int

    /// The open archive.
    private let handle: FileHandle
    /// Bytes read ahead from the file, starting at file offset `bufferFileOffset`.
    private var buffer: [UInt8] = []
    /// The index in `buffer` of the next unconsumed byte.
    private var bufferCursor = 0
    /// The file offset of `buffer[0]`.
    private var bufferFileOffset = 0
    /// The member `nextMember()` returned last, until the reader moves past it.
    private var current: TarMember?
    /// Whether `readData()` has consumed the current member's data.
    private var currentDataConsumed = false
    /// Whether the end-of-archive block has been read.
    private var reachedEnd = false
    /// How many bytes one read asks the file for: large enough that small members cost no system call each.
    private static let chunkSize = 1 << 20

    /// Opens the archive at `url` for reading from its first header.
    ///
    /// - Throws: `TarError.missingFile` or `.unreadableFile` naming the path.
    public init(contentsOf url: URL) throws(TarError) {
        self.url = url
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw .missingFile(path: url.path)
        }
        do {
            handle = try FileHandle(forReadingFrom: url)
            fileSize = Int(try handle.seekToEnd())
            try handle.seek(toOffset: 0)
        } catch {
            throw .unreadableFile(path: url.path, reason: error.localizedDescription)
        }
    }

    deinit {
        try? handle.close()
    }

    /// The byte offset of the next byte the reader will consume.
    private var position: Int { bufferFileOffset + bufferCursor }

    /// Advances to the next member, skipping the unread data of the current one.
    ///
    /// - Returns: the next resolved member, or `nil` at the end-of-archive block.
    /// - Throws: `TarError` for a truncated archive, a bad checksum or field, or a malformed extension header.
    public func nextMember() throws(TarError) -> TarMember? {
        guard !reachedEnd else { return nil }
        try skipRestOfCurrentMember()
        var longName: String?
        var paxRecords: [String: String] = [:]
        var extensionOffset: Int?
        while true {
            let headerOffset = position
            guard let block = try take(TarHeader.blockSize) else {
                throw .truncated(
                    path: url.path, offset: headerOffset,
                    expected: "a 512-byte header or the end-of-archive block", fileSize: fileSize
                )
            }
            if TarHeader.isEndOfArchive(block[...]) {
                if let extensionOffset {
                    throw .extensionWithoutMember(path: url.path, offset: extensionOffset)
                }
                reachedEnd = true
                current = nil
                return nil
            }
            let header: TarHeader
            do throws(TarHeader.Failure) {
                header = try TarHeader(block: block[...])
            } catch {
                switch error {
                case let .checksum(stored, computed):
                    throw .badChecksum(path: url.path, offset: headerOffset, stored: stored, computed: computed)
                case let .field(name, text):
                    throw .badHeaderField(path: url.path, offset: headerOffset, field: name, text: text)
                }
            }
            let dataOffset = headerOffset + TarHeader.blockSize
            switch header.typeFlag {
            case UInt8(ascii: "L"), UInt8(ascii: "K"), UInt8(ascii: "x"), UInt8(ascii: "g"):
                let data = try extensionData(size: header.size, headerOffset: headerOffset)
                switch header.typeFlag {
                case UInt8(ascii: "L"):
                    longName = TarHeader.text(data[...])
                case UInt8(ascii: "x"):
                    paxRecords.merge(try pax(data, headerOffset: headerOffset)) { $1 }
                case UInt8(ascii: "g"):
                    _ = try pax(data, headerOffset: headerOffset)
                default:
                    break
                }
                if header.typeFlag != UInt8(ascii: "g") {
                    extensionOffset = extensionOffset ?? headerOffset
                }
                continue
            default:
                break
            }
            let path = paxRecords["path"] ?? longName ?? header.name
            var size = header.size
            if let paxSize = paxRecords["size"] {
                guard let value = Int(paxSize), value >= 0 else {
                    throw .malformedPaxHeader(
                        path: url.path, offset: extensionOffset ?? headerOffset, reason: "size \"\(paxSize)\" is not a byte count"
                    )
                }
                size = value
            }
            let kind = Self.kind(typeFlag: header.typeFlag, path: path)
            let dataSize = Self.hasData(kind) ? size : 0
            guard dataSize <= fileSize - dataOffset else {
                throw .truncated(
                    path: url.path, offset: dataOffset,
                    expected: "\(dataSize) bytes of data for member \"\(path)\"", fileSize: fileSize
                )
            }
            let member = TarMember(path: path, kind: kind, size: dataSize, headerOffset: headerOffset, dataOffset: dataOffset)
            current = member
            currentDataConsumed = false
            return member
        }
    }

    /// The data of the member `nextMember()` returned last.
    ///
    /// - Precondition: a member is current and its data has not been read yet.
    public func readData() throws(TarError) -> [UInt8] {
        guard let current else {
            preconditionFailure("readData() needs a member: call nextMember() first")
        }
        precondition(!currentDataConsumed, "the data of \"\(current.path)\" has already been read")
        currentDataConsumed = true
        guard let data = try take(current.size) else {
            throw .truncated(
                path: url.path, offset: current.dataOffset,
                expected: "\(current.size) bytes of data for member \"\(current.path)\"", fileSize: fileSize
            )
        }
        return data
    }

    /// Skips what is left of the current member: its data (unless read) and its padding.
    private func skipRestOfCurrentMember() throws(TarError) {
        guard let current else { return }
        let padded = (current.size + TarHeader.blockSize - 1) / TarHeader.blockSize * TarHeader.blockSize
        let end = current.dataOffset + padded
        try skip(to: end)
        self.current = nil
    }

    /// Reads the data of a long-name or pax member, refusing implausible sizes.
    private func extensionData(size: Int, headerOffset: Int) throws(TarError) -> [UInt8] {
        guard size <= Self.extendedHeaderLimit else {
            throw .extensionTooLarge(path: url.path, offset: headerOffset, size: size, limit: Self.extendedHeaderLimit)
        }
        let dataOffset = headerOffset + TarHeader.blockSize
        guard let data = try take(size) else {
            throw .truncated(path: url.path, offset: dataOffset, expected: "\(size) bytes of extended header data", fileSize: fileSize)
        }
        let padded = (size + TarHeader.blockSize - 1) / TarHeader.blockSize * TarHeader.blockSize
        try skip(to: dataOffset + padded)
        return data
    }

    /// Parses pax records, naming the header's offset when they are malformed.
    private func pax(_ data: [UInt8], headerOffset: Int) throws(TarError) -> [String: String] {
        do throws(PaxRecords.Failure) {
            return try PaxRecords.parse(data)
        } catch {
            throw .malformedPaxHeader(path: url.path, offset: headerOffset, reason: error.reason)
        }
    }

    /// A member's kind from its type flag; an old-style regular entry named `…/` is a directory.
    private static func kind(typeFlag: UInt8, path: String) -> TarMember.Kind {
        switch typeFlag {
        case 0: return path.hasSuffix("/") ? .directory : .regularFile
        case UInt8(ascii: "0"), UInt8(ascii: "7"): return .regularFile
        case UInt8(ascii: "1"): return .hardLink
        case UInt8(ascii: "2"): return .symbolicLink
        case UInt8(ascii: "5"): return .directory
        default: return .other(typeFlag: typeFlag)
        }
    }

    /// Whether a member of this kind stores data after its header.
    ///
    /// Links, directories, devices and FIFOs (`1` to `6`) store none whatever
    /// their size field says, as Python's `tarfile` reads them; regular files and
    /// unknown types (GNU sparse files, dump directories) store `size` bytes.
    private static func hasData(_ kind: TarMember.Kind) -> Bool {
        switch kind {
        case .regularFile: return true
        case .directory, .symbolicLink, .hardLink: return false
        case let .other(typeFlag): return !(UInt8(ascii: "3")...UInt8(ascii: "6")).contains(typeFlag)
        }
    }

    /// Exactly `count` bytes from the current position, or `nil` when the file ends first.
    private func take(_ count: Int) throws(TarError) -> [UInt8]? {
        guard try fill(count) else { return nil }
        let bytes = Array(buffer[bufferCursor..<(bufferCursor + count)])
        bufferCursor += count
        return bytes
    }

    /// Moves the position forward to `offset`, seeking when the bytes are not buffered.
    private func skip(to offset: Int) throws(TarError) {
        let distance = offset - position
        if distance <= buffer.count - bufferCursor {
            bufferCursor += distance
            return
        }
        buffer.removeAll(keepingCapacity: true)
        bufferCursor = 0
        bufferFileOffset = offset
        do {
            try handle.seek(toOffset: UInt64(offset))
        } catch {
            throw .unreadableFile(path: url.path, reason: error.localizedDescription)
        }
    }

    /// Buffers at least `count` unconsumed bytes; `false` when the file ends first.
    private func fill(_ count: Int) throws(TarError) -> Bool {
        if buffer.count - bufferCursor >= count {
            return true
        }
        if bufferCursor > 0 {
            buffer.removeFirst(bufferCursor)
            bufferFileOffset += bufferCursor
            bufferCursor = 0
        }
        guard count <= fileSize - bufferFileOffset else { return false }
        while buffer.count < count {
            let chunk: Data?
            do {
                chunk = try handle.read(upToCount: max(Self.chunkSize, count - buffer.count))
            } catch {
                throw .unreadableFile(path: url.path, reason: error.localizedDescription)
            }
            guard let chunk, !chunk.isEmpty else { return false }
            buffer.append(contentsOf: chunk)
        }
        return true
    }
}
