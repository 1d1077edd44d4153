import ArgumentParser
import CPUBackend
import TensorCore

/// Options every compute command shares: how many threads the CPU kernels use.
struct BackendOptions: ParsableArguments {
    @Option(help: "Threads for the CPU kernels (default: OpenMP's default, all cores).")
    var threads: Int?

    /// Creates the CPU backend and makes it the one all ops use.
    func makeBackend() -> CPUBackend {
        let backend = CPUBackend(threads: threads)
        Compute.use(backend)
        return backend
    }
}
