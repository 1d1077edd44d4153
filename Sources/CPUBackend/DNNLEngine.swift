import CDNNL
import Foundation
import TensorCore

/// The oneDNN CPU engine and stream, the primitive cache, and the helpers that run primitives on tensors.
///
/// Invariant behind `@unchecked Sendable`: the cache is guarded by one lock and
/// execution by a process-wide one, so primitives run one at a time whichever
/// thread or engine calls.
/// oneDNN parallelises inside each primitive with OpenMP; running two at once
/// would only oversubscribe the cores, and the one scratchpad buffer the engine
/// hands every primitive (user-managed, see `Primitive.useCallerScratchpad`) must
/// not be shared by two runs.
final class DNNLEngine: @unchecked Sendable {
    let engine: dnnl_engine_t
    let stream: dnnl_stream_t
    private var primitives: [PrimitiveKey: Primitive] = [:]
    private let lock = NSLock()
    private static let executionLock = NSLock()
    /// The scratchpad every primitive of this engine runs with, grown to the largest need; guarded by the execution lock.
    private var scratchpad = TensorStorage(byteCount: 0, zeroed: false)
    /// Times every primitive run while a profile is being taken.
    let profiler = KernelProfiler()

    init() {
        var engine: dnnl_engine_t?
        check(dnnl_engine_create(&engine, dnnl_cpu, 0), "engine_create(cpu)")
        var stream: dnnl_stream_t?
        check(dnnl_stream_create(&stream, engine, dnnl_stream_default_flags.rawValue), "stream_create")
        self.engine = engine!
        self.stream = stream!
    }

    deinit {
        primitives.removeAll()
        dnnl_stream_destroy(stream)
        dnnl_engine_destroy(engine)
    }

    /// The cached primitive for `key`, made by `make` the first time.
    func primitive(for key: PrimitiveKey, make: () -> Primitive) -> Primitive {
        lock.lock()
        defer { lock.unlock() }
        if let cached = primitives[key] { return cached }
        let made = make()
        primitives[key] = made
        return made
    }

    /// How many primitives have been made so far.
    var cachedPrimitiveCount: Int {
        lock.lock()
        defer { lock.unlock() }
        return primitives.count
    }

    /// Runs `primitive` on the given (argument, descriptor, storage) triples and waits for it.
    func execute(_ primitive: Primitive, _ arguments: [(Int32, MemoryDescriptor, TensorStorage)]) {
        var memories: [dnnl_memory_t?] = []
        memories.reserveCapacity(arguments.count)
        var executionArguments: [dnnl_exec_arg_t] = []
        executionArguments.reserveCapacity(arguments.count)
        for (argument, descriptor, storage) in arguments {
            var memory: dnnl_memory_t?
            var raw = descriptor.raw
            precondition(storage.byteCount >= descriptor.byteCount,
                         "storage of \(storage.byteCount) bytes for a memory of \(descriptor.byteCount)")
            check(dnnl_memory_create(&memory, &raw, engine, storage.pointer), "memory_create")
            memories.append(memory)
            executionArguments.append(dnnl_exec_arg_t(arg: argument, memory: memory))
        }
        DNNLEngine.executionLock.lock()
        let scratchpadBytes = primitive.scratchpadByteCount
        if scratchpadBytes > 0 {
            if scratchpad.byteCount < scratchpadBytes { scratchpad = TensorStorage(byteCount: scratchpadBytes, zeroed: false) }
            var memory: dnnl_memory_t?
            var raw = primitive.scratchpadDescriptor.raw
            check(dnnl_memory_create(&memory, &raw, engine, scratchpad.pointer), "memory_create(scratchpad)")
            memories.append(memory)
            executionArguments.append(dnnl_exec_arg_t(arg: DNNL_ARG_SCRATCHPAD, memory: memory))
        }
        let start = profiler.isRecording ? DispatchTime.now().uptimeNanoseconds : 0
        check(dnnl_primitive_execute(primitive.handle, stream, Int32(executionArguments.count), executionArguments),
              "primitive_execute(\(primitive.name))")
        check(dnnl_stream_wait(stream), "stream_wait")
        if start > 0 {
            profiler.record(primitive.name, seconds: Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        DNNLEngine.executionLock.unlock()
        for memory in memories { dnnl_memory_destroy(memory) }
    }

    /// Runs a kernel of Hone's own under the same lock and profile as primitives: `name` is its profile entry.
    func runExclusively(named name: String, _ kernel: () -> Void) {
        DNNLEngine.executionLock.lock()
        let start = profiler.isRecording ? DispatchTime.now().uptimeNanoseconds : 0
        kernel()
        if start > 0 { profiler.record(name, seconds: Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9) }
        DNNLEngine.executionLock.unlock()
    }

    /// A new tensor laid out as `descriptor`.
    func allocate(shape: Shape, descriptor: MemoryDescriptor) -> Tensor {
        Tensor(shape: shape, dtype: descriptor.dtype, format: descriptor.memoryFormat,
               storage: TensorStorage(byteCount: descriptor.byteCount, zeroed: false))
    }

    /// `tensor`'s storage laid out as `target`: the same storage if it already is, else a reordered copy.
    func storage(of tensor: Tensor, as target: MemoryDescriptor, viewedAs view: MemoryDescriptor? = nil) -> TensorStorage {
        let source = view ?? MemoryDescriptor(of: tensor)
        if source.isEqual(to: target) { return tensor.storage }
        let destination = TensorStorage(byteCount: target.byteCount, zeroed: false)
        reorder(from: source, tensor.storage, to: target, destination)
        return destination
    }

    /// Copies `sourceStorage` (laid out as `source`) into `destinationStorage` (laid out as `destination`).
    func reorder(from source: MemoryDescriptor, _ sourceStorage: TensorStorage,
                 to destination: MemoryDescriptor, _ destinationStorage: TensorStorage) {
        let key = PrimitiveKey(kind: .reorder, layouts: [source.canonicalKey, destination.canonicalKey])
        let primitive = self.primitive(for: key) {
            var descriptor: dnnl_primitive_desc_t?
            var sourceRaw = source.raw
            var destinationRaw = destination.raw
            let attributes = Primitive.makeAttributes()
            defer { dnnl_primitive_attr_destroy(attributes) }
            Primitive.useCallerScratchpad(attributes)
            check(dnnl_reorder_primitive_desc_create(&descriptor, &sourceRaw, engine, &destinationRaw, engine,
                                                     attributes),
                  "reorder_primitive_desc_create(\(source.layoutName) → \(destination.layoutName))")
            let conversion = source.dtype == destination.dtype ? "" : " \(source.dtype)→\(destination.dtype)"
            return Primitive(descriptor: descriptor!, what: "reorder\(conversion)")
        }
        execute(primitive, [(DNNL_ARG_FROM, source, sourceStorage), (DNNL_ARG_TO, destination, destinationStorage)])
    }
}
