import ArgumentParser
import Foundation
import Training

/// `hone train`: the engine's smoke training of a small ResNet on Fashion-MNIST.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a small ResNet on Fashion-MNIST (Debian's dataset-fashion-mnist) and report test accuracy."
    )

    @Option(help: "Training steps.") var steps = 400
    @Option(help: "Images per step.") var batchSize = 128
    @Option(help: "Peak learning rate (after warm-up).") var learningRate: Float = 0.2
    @Option(help: "Random seed for initialisation and data order.") var seed: UInt64 = 0
    @Option(help: "Folder with the Fashion-MNIST IDX files.")
    var dataDirectory = "/usr/share/datasets/fashion-mnist"
    @OptionGroup var backendOptions: BackendOptions

    func run() throws {
        let backend = backendOptions.makeBackend()
        print("hone train: backend \(backend.name), \(backend.threadCount) threads")
        var configuration = SmokeTraining.Configuration()
        configuration.steps = steps
        configuration.batchSize = batchSize
        configuration.learningRate = learningRate
        configuration.seed = seed
        configuration.dataDirectory = URL(fileURLWithPath: dataDirectory)
        do {
            _ = try SmokeTraining(configuration: configuration).run { print($0) }
        } catch {
            throw ValidationError("\(error)")
        }
    }
}
