import CDNNL

import TensorCore

/// Hone's CPU backend: every kernel runs on oneDNN (Debian's libdnnl 2.6) through its C API.
///
/// Primitives are created once per shape/layout/type and cached; inputs are
/// reordered only when their layout differs from what the primitive wants, and
/// outputs stay in the primitive's preferred (usually blocked) layout.
public final class CPUBackend: Backend, @unchecked Sendable {
    public let name = "cpu-onednn"
    /// Whether oneDNN has bfloat16 kernels on this CPU (AVX-512 and up; see `InstructionSet`).
    public static let hasBFloat16Kernels = InstructionSet.effective.hasBFloat16Kernels
    public var hasBFloat16Kernels: Bool { Self.hasBFloat16Kernels }
    let dnnl: DNNLEngine
    /// The algorithm convolutions ask oneDNN for.
    public let convolutionAlgorithm: ConvolutionAlgorithm

    /// The process's CPU backend; `threads` sets OpenMP's thread count before the first primitive runs.
    public init(threads: Int? = nil, convolutionAlgorithm: ConvolutionAlgorithm = .direct) {
        self.convolutionAlgorithm = convolutionAlgorithm
        if let threads {
            precondition(threads > 0, "thread count must be positive")
            omp_set_num_threads(Int32(threads))
        }
        Self.keepLargeBuffersInTheHeap()
        dnnl = DNNLEngine()
    }

    /// Tells malloc to serve large blocks from its heap and keep freed ones, instead of fresh mmap'd pages each time.
    ///
    /// A training step, and a data loader's decoded images, free and re-allocate the
    /// same sizes over and over; with glibc's defaults every such allocation
    /// page-faults and the kernel zeroes it (15x more page faults in a training step,
    /// measured; a fifth of the loader's time). Tensors of 1 MiB and more come from
    /// `StoragePool` instead, which bounds what stays cached.
    public static func keepLargeBuffersInTheHeap() {
        mallopt(M_MMAP_THRESHOLD, 1 << 30)
        mallopt(M_TRIM_THRESHOLD, Int32.max)
    }

    /// The number of threads oneDNN's kernels use.
    public var threadCount: Int { Int(omp_get_max_threads()) }

    /// Starts timing every oneDNN primitive this process runs, by kind; `finishProfiling` returns the totals.
    public func startProfiling() { dnnl.profiler.start() }

    /// Stops timing primitives and returns the time per kind since `startProfiling`.
    public func finishProfiling() -> KernelProfile { dnnl.profiler.finish() }

    /// How many distinct primitives have been created (each JIT-compiles a kernel once).
    public var cachedPrimitiveCount: Int { dnnl.cachedPrimitiveCount }

    public func reorder(_ tensor: Tensor, to format: MemoryFormat) -> Tensor {
        if tensor.format == format { return tensor }
        let target = MemoryDescriptor(shape: tensor.shape, dtype: tensor.dtype, format: format)
        precondition(target.dimensions == tensor.shape.dimensions && target.dtype == tensor.dtype,
                     "layout \(format) does not describe a \(tensor.shape) \(tensor.dtype) tensor")
        let output = dnnl.allocate(shape: tensor.shape, descriptor: target)
        dnnl.reorder(from: MemoryDescriptor(of: tensor), tensor.storage, to: target, output.storage)
        return output
    }

    public func convert(_ tensor: Tensor, to dtype: DType) -> Tensor {
        if tensor.dtype == dtype { return tensor }
        let source = MemoryDescriptor(of: tensor)
        let target = source.with(dtype: dtype)
        let output = dnnl.allocate(shape: tensor.shape, descriptor: target)
        dnnl.reorder(from: source, tensor.storage, to: target, output.storage)
        return output
    }
}

/// A oneDNN dimension array (`dnnl_dims_t`, twelve entries) from Swift integers.
func dnnlDimensions(_ values: [Int]) -> [Int64] {
    values.map(Int64.init) + [Int64](repeating: 0, count: 12 - values.count)
}

extension DType {
    /// A small integer for cache keys.
    var cacheCode: Int {
        switch self {
        case .float32: 0
        case .bfloat16: 1
        }
    }
}
