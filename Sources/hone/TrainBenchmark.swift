import ArgumentParser
import Optimizers
import Training

/// `hone bench train`: images per second of the training step (forward, loss, backward, SGD momentum update).
///
/// The step is `TrainingStep`, the one `hone train` runs, on a fixed random batch:
/// loading is not part of the figure (`benchmarks/pytorch_peer.py` times the same).
struct TrainBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Median images/s of a training step, GFLOP/s, % of the SGEMM ceiling and peak memory."
    )

    @OptionGroup var options: StepBenchmarkOptions

    func run() throws {
        let backend = options.backendOptions.makeBackend()
        let model = try options.makeModel()
        let optimizer = SGD(parameters: model.namedParameters(), learningRate: 0.1, momentum: 0.9,
                            weightDecay: 5e-5)
        let step = TrainingStep(model: model, optimizer: optimizer, precision: try options.precision(),
                                objective: CrossEntropyObjective())
        let (images, labels) = options.randomBatch()
        model.setTraining(true)
        StepBenchmark(mode: .train, options: options, backend: backend,
                      multiplyAccumulates: options.multiplyAccumulates(of: model))
            .run { step(TrainingBatch(images: images, labels: labels), learningRate: 0.1) }
    }
}
