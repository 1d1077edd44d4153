import ArgumentParser
import CPUBackend
import Recipes
import TensorCore

extension ConvolutionAlgorithm: ExpressibleByArgument {}

/// Options every compute command shares: how many threads the CPU kernels use and which convolution algorithm.
struct BackendOptions: ParsableArguments {
    @Option(help: "Threads for the CPU kernels (default: OpenMP's default, all cores).")
    var threads: Int?

    @Option(help: "Convolution algorithm: direct, or auto (Winograd for f32 3x3 stride-1 layers: oneDNN's on AVX-512 where it expects a win, Hone's F(2,3) / F(4,3) on AVX2, and there Hone's direct kernels for 3x3 stems of 1-4 channels).")
    var convolutionAlgorithm: ConvolutionAlgorithm = .direct

    /// Creates the CPU backend and makes it the one all ops use.
    func makeBackend() -> CPUBackend {
        let backend = CPUBackend(threads: threads, convolutionAlgorithm: convolutionAlgorithm)
        Compute.use(backend)
        return backend
    }
}

extension ConvolutionAlgorithm {
    /// The backend's algorithm for a recipe's `run.convolution_algorithm`.
    init(_ choice: Recipe.Run.ConvolutionAlgorithm) {
        switch choice {
        case .direct: self = .direct
        case .auto: self = .automatic
        }
    }
}
