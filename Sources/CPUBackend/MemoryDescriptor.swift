import CDNNL
import TensorCore

/// A oneDNN memory descriptor: dimensions, element type and layout of one tensor.
///
/// Hone keeps `plain` tensors as dense row-major (oneDNN's `abcd` tag) and every
/// other layout as `MemoryFormat.blocked`, whose bytes are this struct's bytes.
struct MemoryDescriptor {
    var raw: dnnl_memory_desc_t

    init(raw: dnnl_memory_desc_t) {
        self.raw = raw
    }

    /// Dense row-major over `dimensions`.
    init(plain dimensions: [Int], dtype: DType) {
        self.init(dimensions: dimensions, dtype: dtype, formatTag: MemoryDescriptor.rowMajorTag(rank: dimensions.count))
    }

    /// A descriptor that lets the primitive choose the layout.
    init(any dimensions: [Int], dtype: DType) {
        self.init(dimensions: dimensions, dtype: dtype, formatTag: dnnl_format_tag_any)
    }

    init(dimensions: [Int], dtype: DType, formatTag: dnnl_format_tag_t) {
        var descriptor = dnnl_memory_desc_t()
        let dims = dimensions.map(Int64.init) + [Int64](repeating: 0, count: 12 - dimensions.count)
        check(dnnl_memory_desc_init_by_tag(&descriptor, Int32(dimensions.count), dims,
                                           MemoryDescriptor.dataType(dtype), formatTag),
              "memory_desc_init_by_tag(\(dimensions))")
        raw = descriptor
    }

    /// The descriptor of a tensor in `format` with `shape` and `dtype`.
    init(shape: Shape, dtype: DType, format: MemoryFormat) {
        switch format {
        case .plain:
            self.init(plain: shape.dimensions, dtype: dtype)
        case .blocked(let layout):
            var descriptor = dnnl_memory_desc_t()
            withUnsafeMutableBytes(of: &descriptor) { destination in
                layout.descriptor.withUnsafeBytes { source in destination.copyMemory(from: source) }
            }
            self.init(raw: descriptor)
        }
    }

    /// The descriptor of `tensor` as it is stored.
    init(of tensor: Tensor) {
        self.init(shape: tensor.shape, dtype: tensor.dtype, format: tensor.format)
    }

    static func rowMajorTag(rank: Int) -> dnnl_format_tag_t {
        switch rank {
        case 1: dnnl_a
        case 2: dnnl_ab
        case 3: dnnl_abc
        case 4: dnnl_abcd
        case 5: dnnl_abcde
        default: preconditionFailure("tensors of rank \(rank) are not supported by the CPU backend")
        }
    }

    static func dataType(_ dtype: DType) -> dnnl_data_type_t {
        switch dtype {
        case .float32: dnnl_f32
        case .bfloat16: dnnl_bf16
        }
    }

    var rank: Int { Int(raw.ndims) }

    var dimensions: [Int] {
        withUnsafeBytes(of: raw.dims) { Array($0.bindMemory(to: Int64.self).prefix(rank)).map(Int.init) }
    }

    var dtype: DType {
        switch raw.data_type {
        case dnnl_f32: .float32
        case dnnl_bf16: .bfloat16
        default: preconditionFailure("oneDNN chose data type \(raw.data_type.rawValue), which Hone does not store")
        }
    }

    var byteCount: Int {
        var copy = raw
        return dnnl_memory_desc_get_size(&copy)
    }

    func isEqual(to other: MemoryDescriptor) -> Bool {
        var lhs = raw
        var rhs = other.raw
        return dnnl_memory_desc_equal(&lhs, &rhs) != 0
    }

    /// The same layout with another element type (strides are in elements, so they carry over).
    func with(dtype: DType) -> MemoryDescriptor {
        var copy = raw
        copy.data_type = MemoryDescriptor.dataType(dtype)
        return MemoryDescriptor(raw: copy)
    }

    /// True when this is the dense row-major layout of its dimensions with no padding.
    var isRowMajor: Bool {
        isEqual(to: MemoryDescriptor(plain: dimensions, dtype: dtype))
    }

    /// The format a tensor stored with this descriptor is in.
    var memoryFormat: MemoryFormat {
        if isRowMajor { return .plain }
        var copy = raw
        let bytes = withUnsafeBytes(of: &copy) { Array($0) }
        return .blocked(BlockedLayout(descriptor: bytes, key: canonicalKey, name: layoutName, byteCount: byteCount))
    }

    /// The format of a workspace (oneDNN's own bytes, of a type Hone does not compute with).
    var workspaceFormat: MemoryFormat {
        var copy = raw
        let bytes = withUnsafeBytes(of: &copy) { Array($0) }
        return .blocked(BlockedLayout(descriptor: bytes, key: canonicalKey, name: "workspace", byteCount: byteCount))
    }

    /// Fields that decide the layout, in a fixed order, without the struct's padding bytes.
    var canonicalKey: [Int64] {
        var key: [Int64] = [Int64(raw.ndims), Int64(raw.data_type.rawValue), Int64(raw.format_kind.rawValue), raw.offset0]
        withUnsafeBytes(of: raw.dims) { key += $0.bindMemory(to: Int64.self).prefix(rank) }
        withUnsafeBytes(of: raw.padded_dims) { key += $0.bindMemory(to: Int64.self).prefix(rank) }
        withUnsafeBytes(of: raw.padded_offsets) { key += $0.bindMemory(to: Int64.self).prefix(rank) }
        if raw.format_kind == dnnl_blocked {
            let blocking = raw.format_desc.blocking
            let blockCount = Int(blocking.inner_nblks)
            withUnsafeBytes(of: blocking.strides) { key += $0.bindMemory(to: Int64.self).prefix(rank) }
            key.append(Int64(blockCount))
            withUnsafeBytes(of: blocking.inner_blks) { key += $0.bindMemory(to: Int64.self).prefix(blockCount) }
            withUnsafeBytes(of: blocking.inner_idxs) { key += $0.bindMemory(to: Int64.self).prefix(blockCount) }
        }
        key.append(Int64(bitPattern: raw.extra.flags))
        return key
    }

    /// oneDNN's generic tag notation: axes outermost first, upper case when blocked, then the blocks ("aBcd16b").
    var layoutName: String {
        guard raw.format_kind == dnnl_blocked else { return "opaque" }
        let blocking = raw.format_desc.blocking
        let strides = withUnsafeBytes(of: blocking.strides) { Array($0.bindMemory(to: Int64.self).prefix(rank)) }
        let blockCount = Int(blocking.inner_nblks)
        let blocks = withUnsafeBytes(of: blocking.inner_blks) { Array($0.bindMemory(to: Int64.self).prefix(blockCount)) }
        let blockAxes = withUnsafeBytes(of: blocking.inner_idxs) { Array($0.bindMemory(to: Int64.self).prefix(blockCount)) }
        let letters = Array("abcdefghijkl")
        let order = (0..<rank).sorted { strides[$0] > strides[$1] || (strides[$0] == strides[$1] && $0 < $1) }
        var name = ""
        for axis in order {
            let letter = String(letters[axis])
            name += blockAxes.contains(Int64(axis)) ? letter.uppercased() : letter
        }
        for (size, axis) in zip(blocks, blockAxes) { name += "\(size)\(letters[Int(axis)])" }
        return "\(name) \(dtype)"
    }
}
