import Autodiff
import CPUBackend
import Models
import TensorCore

/// The CPU backend every test in this target runs on (created once, chosen process-wide).
let testBackend: CPUBackend = {
    let backend = CPUBackend(threads: 2)
    Compute.use(backend)
    return backend
}()

/// A model from the registry with the given overrides; the registry must know `id`.
func makeModel(_ id: String, classes: Int = 1000, inputChannels: Int = 3, seed: UInt64 = 0,
               adjust: (inout ResNetConfiguration) -> Void = { _ in }) -> ResNet {
    _ = testBackend
    guard var configuration = ModelRegistry.configuration(id: id, classes: classes, inputChannels: inputChannels) else {
        preconditionFailure("no model \(id)")
    }
    adjust(&configuration)
    return ModelRegistry.makeModel(configuration, seed: seed)
}

/// `count` images of `channels`×`size`×`size` standard-normal pixels, as a plain NCHW variable.
func randomImages(count: Int, channels: Int, size: Int, seed: UInt64) -> Variable {
    var generator = SeededGenerator(seed: seed)
    let scalars = (0..<count * channels * size * size).map { _ in Float(generator.normal()) }
    return Variable(Tensor(shape: [count, channels, size, size], scalars: scalars))
}

/// A tensor's values in row-major order whatever its memory format.
func plainScalars(_ tensor: Tensor) -> [Float] {
    Compute.backend.reorder(tensor, to: .plain).scalars
}
