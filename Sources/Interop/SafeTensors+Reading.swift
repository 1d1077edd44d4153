import Foundation
import TensorCore

#if _endian(big)
#error("Interop copies safetensors' little-endian bytes straight into tensors; big-endian hosts are not supported")
#endif

extension SafeTensors {
    /// Reads the safetensors file at `url`: every tensor, integer array and the metadata.
    ///
    /// Shapes: F32 and BF16 become plain tensors of that dtype; F16 is widened and
    /// F64 narrowed (rounded to nearest) to float32; I64 and I32 become integer
    /// arrays. Entries keep the file's data order. Why read whole: checkpoints
    /// are loaded into a model in one go, and a file that fails validation should
    /// fail before any of it is used.
    public init(contentsOf url: URL) throws(SafeTensorsError) {
        let path = url.path
        let file = try MappedFile(path: path)
        try self.init(decoding: file.bytes, source: path)
        withExtendedLifetime(file) {}
    }

    /// Decodes a whole safetensors file held in memory; `source` names it in errors.
    ///
    /// Shapes: as `init(contentsOf:)`. Why public: files also arrive inside
    /// archives or over the network, already in memory.
    public init(decoding bytes: UnsafeRawBufferPointer, source: String) throws(SafeTensorsError) {
        let (header, dataStart) = try SafeTensorsHeader.parse(file: bytes, path: source)
        let data = UnsafeRawBufferPointer(rebasing: bytes[dataStart...])
        self.init(metadata: header.metadata)
        for entry in header.entries {
            let start = Int(entry.begin)
            let source = UnsafeRawBufferPointer(rebasing: data[start..<(start + entry.byteCount)])
            switch Self.decode(entry, from: source) {
            case .tensor(let tensor): insert(tensor, named: entry.name)
            case .integers(let array): insert(array, named: entry.name)
            }
        }
    }

    /// The tensor or integer array that `entry` describes, decoded from its bytes `source`.
    ///
    /// Shapes: `source.count == entry.byteCount`, already validated. F32, BF16 and
    /// I64 are one `memcpy`; only the converted dtypes go element by element.
    private static func decode(_ entry: SafeTensorsHeader.Entry, from source: UnsafeRawBufferPointer) -> Value {
        let shape = Shape(entry.shape)
        let count = entry.elementCount
        switch entry.dtype {
        case .float32, .bfloat16:
            let dtype: DType = entry.dtype == .float32 ? .float32 : .bfloat16
            let storage = TensorStorage(byteCount: source.count)
            if let start = source.baseAddress, source.count > 0 {
                storage.pointer.copyMemory(from: start, byteCount: source.count)
            }
            return .tensor(Tensor(shape: shape, dtype: dtype, format: .plain, storage: storage))
        case .float16:
            let tensor = Tensor(zeros: shape, dtype: .float32)
            let destination = tensor.storage.buffer(as: Float.self, count: count)
            for index in 0..<count {
                let bits = UInt16(littleEndian: source.loadUnaligned(fromByteOffset: 2 * index, as: UInt16.self))
                destination[index] = HalfFloat.float(from: bits)
            }
            return .tensor(tensor)
        case .float64:
            let tensor = Tensor(zeros: shape, dtype: .float32)
            let destination = tensor.storage.buffer(as: Float.self, count: count)
            for index in 0..<count {
                let bits = UInt64(littleEndian: source.loadUnaligned(fromByteOffset: 8 * index, as: UInt64.self))
                destination[index] = Float(Double(bitPattern: bits))
            }
            return .tensor(tensor)
        case .int64:
            let values = [Int64](unsafeUninitializedCapacity: count) { buffer, initializedCount in
                if count > 0 { UnsafeMutableRawBufferPointer(buffer).copyMemory(from: source) }
                initializedCount = count
            }
            return .integers(IntegerArray(shape: shape, values: values))
        case .int32:
            let values = (0..<count).map { index in
                Int64(Int32(littleEndian: source.loadUnaligned(fromByteOffset: 4 * index, as: Int32.self)))
            }
            return .integers(IntegerArray(shape: shape, values: values))
        }
    }
}
