import ArgumentParser
import CPUBackend
import Models
import Recipes
import TensorCore

/// What `hone bench train` and `hone bench infer` measure: a model, an input size, a batch, a precision, a step count.
///
/// The model is a registry id with optional stem, width, input-channel and class
/// overrides, so the small Fashion-MNIST network (`--model resnet18 --stem
/// small-image --width 0.25 --channels 1 --classes 10 --size 28 --batch 128`) is
/// measured the same way as ResNet-50 at 224 px; the PyTorch peer
/// (`benchmarks/pytorch_peer.py`) takes the same options.
struct StepBenchmarkOptions: ParsableArguments {
    @Option(help: "Registry model id (see `hone models`).") var model = "resnet50"
    @Option(help: "Square input size in pixels.") var size = 224
    @Option(help: "Images per step.") var batch = 32
    @Option(help: "Precision: f32, or bf16 (bf16 convolutions and matmuls, f32 master weights and statistics).")
    var dtype = "f32"
    @Option(help: "Untimed steps first (primitive creation, allocator warm-up).") var warmup = 3
    @Option(help: "Timed steps; the median is reported.") var steps = 10
    @Option(help: "Stem override: classic, deep or small-image.") var stem: String?
    @Option(help: "Channel-width multiplier.") var width = 1.0
    @Option(help: "Input image channels.") var channels = 3
    @Option(help: "Classifier outputs.") var classes = 1000
    @Option(help: "GroupNorm with this many groups per layer instead of BatchNorm (0: BatchNorm).") var normGroups = 0
    @Flag(help: "Print one JSON object instead of text.") var json = false
    @Flag(help: "Also time every oneDNN primitive kind over extra steps and print where the step's time goes.")
    var profile = false
    @OptionGroup var backendOptions: BackendOptions

    func validate() throws {
        guard size >= 1, batch >= 1, warmup >= 0, steps >= 1, channels >= 1, classes >= 1, width > 0, normGroups >= 0
        else {
            throw ValidationError("--size, --batch, --steps, --channels, --classes must be positive, --warmup "
                                  + "and --norm-groups not negative, --width above zero")
        }
        _ = try precision()
        guard ModelRegistry.configuration(id: model) != nil else {
            throw ValidationError("--model: '\(model)' is not a model Hone knows; expected one of "
                                  + ModelRegistry.ids.joined(separator: ", "))
        }
        if let stem, ResNetConfiguration.Stem(rawValue: stem) == nil {
            throw ValidationError("--stem: '\(stem)' is not a stem; expected one of "
                                  + ResNetConfiguration.Stem.allCases.map(\.rawValue).joined(separator: ", "))
        }
    }

    /// The recipe precision `--dtype` names.
    func precision() throws -> Recipe.Run.Precision {
        switch dtype {
        case "f32", "float32": return .f32
        case "bf16", "bfloat16":
            guard CPUBackend.hasBFloat16Kernels else {
                throw ValidationError("--dtype: bf16 needs bfloat16 kernels, which oneDNN 2.6 has only on AVX-512 "
                                      + "CPUs; this one runs \(InstructionSet.effective) kernels: use --dtype f32")
            }
            return .bf16
        default: throw ValidationError("--dtype: '\(dtype)' is not a precision; expected f32 or bf16")
        }
    }

    /// The network these options describe, with seed-0 weights.
    func makeModel() throws -> ResNet {
        guard var configuration = ModelRegistry.configuration(id: model, classes: classes, inputChannels: channels)
        else { throw ValidationError("--model: unknown model '\(model)'") }
        if let stem { configuration.stem = ResNetConfiguration.Stem(rawValue: stem)! }
        configuration.widthMultiplier = width
        if normGroups > 0 { configuration.normalization = .group(groups: normGroups) }
        try configuration.validate()
        return ModelRegistry.makeModel(configuration, seed: 0)
    }

    /// Multiply-accumulates per image in the convolutions and the classifier (the peer counts the same).
    func multiplyAccumulates(of network: ResNet) -> Int {
        network.multiplyAccumulates(imageSize: size)
    }

    /// A batch of standard-normal f32 images and uniformly drawn labels, fixed by seed 0.
    func randomBatch() -> (images: Tensor, labels: [Int32]) {
        var generator = SeededGenerator(seed: 0)
        let count = batch * channels * size * size
        let pixels = (0..<count).map { _ in Float(generator.normal()) }
        let labels = (0..<batch).map { _ in Int32(generator.next() % UInt64(classes)) }
        return (Tensor(shape: [batch, channels, size, size], scalars: pixels), labels)
    }
}
