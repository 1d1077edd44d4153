import ArgumentParser
import Autodiff
import Models
import TensorCore

/// `hone bench infer`: images per second of the evaluation forward pass (running statistics, no gradients).
///
/// Batch-norm models run as Hone evaluates them: folded into an `InferenceResNet`
/// (norms inside the convolutions, ReLU and residual adds as fused epilogues);
/// `--unfolded` times the layer-by-layer evaluation forward instead.
struct InferBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "infer",
        abstract: "Median images/s of an inference forward pass, GFLOP/s, % of the SGEMM ceiling and peak memory."
    )

    @OptionGroup var options: StepBenchmarkOptions
    @Flag(help: "Time the model's own evaluation forward instead of the folded network.") var unfolded = false

    func run() throws {
        let backend = options.backendOptions.makeBackend()
        let model = try options.makeModel()
        let precision = try options.precision()
        let (images, _) = options.randomBatch()
        model.setTraining(false)
        let benchmark = StepBenchmark(mode: .infer, options: options, backend: backend,
                                      multiplyAccumulates: options.multiplyAccumulates(of: model))
        if !unfolded, let folded = try? InferenceResNet(model, dtype: precision.computeType) {
            benchmark.run { _ = folded(images) }
            return
        }
        benchmark.run {
            withoutGradients {
                let input = convert(Variable(images), to: precision.computeType)
                _ = convert(model(input), to: .float32)
            }
        }
    }
}
