import Foundation

/// Where the encoded bytes (or, for in-memory sets, the pixels) of one sample are.
///
/// The decoder sniffs the real image format from the bytes later; a location
/// only says where to read them, so the same loader serves folders, list files,
/// tar shards and in-memory sets.
public enum SampleLocation: Equatable, Sendable {
    /// A whole file on disk.
    case file(URL)
    /// `length` bytes starting at byte `offset` of the tar file `shard` (the member's data, after its header).
    case tarMember(shard: URL, offset: Int, length: Int)
    /// The image at `index` of an in-memory `LabeledImageSet`, already decoded.
    case memory(index: Int)
}
