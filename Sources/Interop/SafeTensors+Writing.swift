import Foundation
import TensorCore

extension SafeTensors {
    /// Writes every entry and the metadata to `url` as a safetensors file, replacing any file there atomically.
    ///
    /// Shapes: float tensors are written as F32 or BF16, integer arrays as I64,
    /// each dense row-major. The layout follows the reference writer: entries
    /// ordered by dtype (I64, then F32, then BF16) and then by name, the header
    /// padded with spaces so data starts 8-byte aligned. Why that order: every
    /// tensor then starts aligned to its element size, and files compare equal
    /// byte for byte with the reference implementation's.
    public func write(to url: URL) throws(SafeTensorsError) {
        let ordered = entries.map { (entry: $0, dtype: Self.fileDType(of: $0.value)) }.sorted { left, right in
            if left.dtype.writeRank != right.dtype.writeRank { return left.dtype.writeRank > right.dtype.writeRank }
            return left.entry.name.utf8.lexicographicallyPrecedes(right.entry.name.utf8)
        }
        var headerEntries: [SafeTensorsHeader.Entry] = []
        headerEntries.reserveCapacity(ordered.count)
        var offset: UInt64 = 0
        for (entry, dtype) in ordered {
            let shape = entry.value.shape
            let end = offset + UInt64(shape.elementCount * dtype.byteCount)
            headerEntries.append(SafeTensorsHeader.Entry(name: entry.name, dtype: dtype, shape: shape.dimensions,
                                                         begin: offset, end: end))
            offset = end
        }
        let header = SafeTensorsHeader(metadata: metadata, entries: headerEntries).encoded()

        try AtomicFile.write(to: url) { sink in
            withUnsafeBytes(of: UInt64(header.count).littleEndian) { sink.append($0) }
            header.withUnsafeBytes { sink.append($0) }
            for (entry, _) in ordered {
                switch entry.value {
                case .tensor(let tensor):
                    withExtendedLifetime(tensor.storage) {
                        sink.append(UnsafeRawBufferPointer(start: tensor.storage.pointer, count: tensor.byteCount))
                    }
                case .integers(let array):
                    array.values.withUnsafeBytes { sink.append($0) }
                }
            }
        }
    }

    /// The dtype `value` is stored as in the file.
    private static func fileDType(of value: Value) -> SafeTensorsDType {
        switch value {
        case .tensor(let tensor): SafeTensorsDType(tensor.dtype)
        case .integers: .int64
        }
    }
}
