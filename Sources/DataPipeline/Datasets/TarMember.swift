/// One member of a tar archive, with GNU long names and pax extended headers already applied.
///
/// Offsets count bytes from the start of the archive file: `dataOffset` is
/// where the member's `size` bytes of data begin (just after its 512-byte
/// header), which is what an index stores to read the member later without
/// walking the archive again.
public struct TarMember: Equatable, Sendable {
    /// What a member is, from its type flag.
    public enum Kind: Equatable, Sendable {
        /// A regular file (`0`, NUL, or `7` contiguous file).
        case regularFile
        /// A directory (`5`, or an old-style regular entry whose name ends in `/`).
        case directory
        /// A symbolic link (`2`).
        case symbolicLink
        /// A hard link (`1`).
        case hardLink
        /// Any other type flag (devices, FIFOs, GNU sparse files, volume labels).
        case other(typeFlag: UInt8)
    }

    /// The member's path inside the archive.
    public let path: String
    /// What the member is.
    public let kind: Kind
    /// Bytes of data that follow the header (0 for directories and links).
    public let size: Int
    /// Where the member's own header starts (after any long-name or pax headers that precede it).
    public let headerOffset: Int
    /// Where its data starts: `headerOffset + 512`.
    public let dataOffset: Int

    /// Wraps a member's resolved fields.
    public init(path: String, kind: Kind, size: Int, headerOffset: Int, dataOffset: Int) {
        self.path = path
        self.kind = kind
        self.size = size
        self.headerOffset = headerOffset
        self.dataOffset = dataOffset
    }
}
