import CDNNL

/// A created oneDNN primitive together with the descriptor it was made from.
///
/// The descriptor answers which memory layouts the primitive wants; it also
/// serves as the hint a backward primitive is created from. Both handles are
/// immutable after creation and destroyed with this object.
final class Primitive {
    let descriptor: dnnl_primitive_desc_t
    let handle: dnnl_primitive_t
    /// What the primitive does ("convolution forward", "reorder", ...), for errors and profiles.
    let name: String
    /// Bytes of scratchpad the primitive needs at execution (0: none).
    let scratchpadByteCount: Int

    /// Creates the primitive for an initialised op descriptor.
    init(operation: UnsafeRawPointer, engine: dnnl_engine_t, hint: Primitive? = nil,
         attributes: dnnl_primitive_attr_t? = nil, what: String) {
        var descriptor: dnnl_primitive_desc_t?
        let created = attributes == nil ? Self.makeAttributes() : nil
        defer { if let created { dnnl_primitive_attr_destroy(created) } }
        let attributes = attributes ?? created!
        Self.useCallerScratchpad(attributes)
        check(dnnl_primitive_desc_create(&descriptor, operation, attributes, engine, hint?.descriptor),
              "primitive_desc_create(\(what))")
        var handle: dnnl_primitive_t?
        check(dnnl_primitive_create(&handle, descriptor), "primitive_create(\(what))")
        self.descriptor = descriptor!
        self.handle = handle!
        name = what
        scratchpadByteCount = Self.scratchpadSize(of: descriptor!)
    }

    /// Empty attributes, for primitives that need no post-ops.
    static func makeAttributes() -> dnnl_primitive_attr_t {
        var attributes: dnnl_primitive_attr_t?
        check(dnnl_primitive_attr_create(&attributes), "primitive_attr_create")
        return attributes!
    }

    /// Makes a primitive take its scratchpad from the caller at execution (`DNNL_ARG_SCRATCHPAD`).
    ///
    /// Why: in library mode a oneDNN build without concurrent execution keeps one
    /// scratchpad per thread, sized when a primitive is created on that thread, so a
    /// primitive created on one thread and run on another overruns the second
    /// thread's smaller buffer (heap corruption, seen with brgemm convolutions).
    /// The engine instead passes one buffer that grows to the largest need.
    static func useCallerScratchpad(_ attributes: dnnl_primitive_attr_t) {
        check(dnnl_primitive_attr_set_scratchpad_mode(attributes, dnnl_scratchpad_mode_user), "set_scratchpad_mode")
    }

    /// Bytes of scratchpad `descriptor`'s primitive needs at execution (0: none).
    static func scratchpadSize(of descriptor: dnnl_primitive_desc_t) -> Int {
        guard let pointer = dnnl_primitive_desc_query_md(descriptor, dnnl_query_scratchpad_md, 0),
              pointer.pointee.ndims > 0 else { return 0 }
        return MemoryDescriptor(raw: pointer.pointee).byteCount
    }

    /// The scratchpad's descriptor; only when `scratchpadByteCount > 0`.
    var scratchpadDescriptor: MemoryDescriptor { memory(dnnl_query_scratchpad_md) }

    /// Wraps an already created primitive descriptor (reorders come this way).
    init(descriptor: dnnl_primitive_desc_t, what: String) {
        var handle: dnnl_primitive_t?
        check(dnnl_primitive_create(&handle, descriptor), "primitive_create(\(what))")
        self.descriptor = descriptor
        self.handle = handle!
        name = what
        scratchpadByteCount = Self.scratchpadSize(of: descriptor)
    }

    deinit {
        dnnl_primitive_destroy(handle)
        dnnl_primitive_desc_destroy(descriptor)
    }

    /// The layout the primitive uses for one of its memories (`dnnl_query_src_md`, ...).
    func memory(_ query: dnnl_query_t, index: Int32 = 0) -> MemoryDescriptor {
        guard let pointer = dnnl_primitive_desc_query_md(descriptor, query, index) else {
            preconditionFailure("primitive has no memory for query \(query.rawValue)")
        }
        return MemoryDescriptor(raw: pointer.pointee)
    }

    /// True when the primitive uses a memory for `query` (workspace, for instance).
    func hasMemory(_ query: dnnl_query_t) -> Bool {
        guard let pointer = dnnl_primitive_desc_query_md(descriptor, query, 0) else { return false }
        return pointer.pointee.ndims > 0
    }
}
