import ArgumentParser
import Autodiff
import TensorCore

/// `hone bench infer`: images per second of the evaluation forward pass (running statistics, no gradients).
struct InferBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "infer",
        abstract: "Median images/s of an inference forward pass, GFLOP/s, % of the SGEMM ceiling and peak memory."
    )

    @OptionGroup var options: StepBenchmarkOptions

    func run() throws {
        let backend = options.backendOptions.makeBackend()
        let model = try options.makeModel()
        let precision = try options.precision()
        let (images, _) = options.randomBatch()
        model.setTraining(false)
        StepBenchmark(mode: .infer, options: options, backend: backend,
                      multiplyAccumulates: options.multiplyAccumulates(of: model))
            .run {
                withoutGradients {
                    var input = Variable(images)
                    if precision == .bf16 { input = convert(input, to: .bfloat16) }
                    _ = convert(model(input), to: .float32)
                }
            }
    }
}
