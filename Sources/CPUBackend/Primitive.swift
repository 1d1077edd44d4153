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

    /// Creates the primitive for an initialised op descriptor.
    init(operation: UnsafeRawPointer, engine: dnnl_engine_t, hint: Primitive? = nil,
         attributes: dnnl_primitive_attr_t? = nil, what: String) {
        var descriptor: dnnl_primitive_desc_t?
        check(dnnl_primitive_desc_create(&descriptor, operation, attributes, engine, hint?.descriptor),
              "primitive_desc_create(\(what))")
        var handle: dnnl_primitive_t?
        check(dnnl_primitive_create(&handle, descriptor), "primitive_create(\(what))")
        self.descriptor = descriptor!
        self.handle = handle!
        name = what
    }

    /// Wraps an already created primitive descriptor (reorders come this way).
    init(descriptor: dnnl_primitive_desc_t, what: String) {
        var handle: dnnl_primitive_t?
        check(dnnl_primitive_create(&handle, descriptor), "primitive_create(\(what))")
        self.descriptor = descriptor
        self.handle = handle!
        name = what
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
