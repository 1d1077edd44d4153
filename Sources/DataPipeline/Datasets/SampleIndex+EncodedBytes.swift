import Foundation

extension SampleIndex {
    /// The still-encoded bytes of sample `index`: the whole file, or the tar member's byte range.
    ///
    /// The loader hands these to the decoder, which sniffs the format. Each call
    /// opens the file it needs, so worker threads can call it on a shared index
    /// without sharing file handles.
    /// - Throws: `SampleReadError` naming the file (and, for a tar member, the
    ///   range) when it is gone, unreadable or shorter than the index says.
    /// - Precondition: the sample is not in memory (those have pixels, not bytes).
    public func encodedBytes(at index: Int) throws(SampleReadError) -> [UInt8] {
        switch location(at: index) {
        case let .file(url):
            do {
                return [UInt8](try Data(contentsOf: url))
            } catch {
                throw .unreadable(path: url.path, reason: error.localizedDescription)
            }
        case let .tarMember(shard, offset, length):
            let data: Data?
            do {
                let handle = try FileHandle(forReadingFrom: shard)
                defer { try? handle.close() }
                try handle.seek(toOffset: UInt64(offset))
                data = try handle.read(upToCount: length)
            } catch {
                throw .unreadable(path: shard.path, reason: error.localizedDescription)
            }
            let bytes = [UInt8](data ?? Data())
            guard bytes.count == length else {
                throw .shortMember(shard: shard.path, offset: offset, expectedBytes: length, foundBytes: bytes.count)
            }
            return bytes
        case .memory:
            preconditionFailure("sample \(index) is an in-memory image: read its pixels from the LabeledImageSet")
        }
    }
}
