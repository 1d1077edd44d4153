import Foundation
import Interop
import Layers
import Models
import Recipes
import TensorCore

/// Copies the weights a recipe's `init` section names into a freshly built model, adapting head and stem where they differ.
///
/// Shapes: the file's `fc.weight` [K', F] and `fc.bias` [K'] for a model with K classes
/// (K' ≠ K: both skipped, the model's own initialisation kept); the stem's first convolution
/// `conv1.weight` (or the deep stem's `conv1.0.weight`) [O, I', k, k] for a model with I
/// input channels: for I = 1 summed over I' (an RGB stem applied to a grey image replicated
/// three times gives the same response), otherwise cycled over the I' channels to I and
/// scaled by I'/I, as timm's `adapt_input_conv`. Everything else goes through
/// `StateDictionary.load`, whose shape errors name the tensor, the file and both shapes.
/// The parts `init.skip` names are not loaded at all.
/// The returned lines say what was loaded, adapted, missing and unexpected.
enum InitialWeights {
    /// Loads `section.from` into `model`; throws on an unreadable file, a shape that does not fit, or with `strict` a name
    /// found on one side only.
    static func load(_ section: Recipe.Initialization, into model: ResNet) throws(InitialWeightsError) -> [String] {
        guard let from = section.from else { return [] }
        let url = try weightsURL(from, checkpoint: section.checkpoint)
        let source = url.path
        var file: SafeTensors
        do {
            file = try SafeTensors(contentsOf: url)
        } catch {
            throw .unreadable(file: source, reason: error.description)
        }
        var lines = ["init: weights from \(source)"]
        var reinitialised: Set<String> = []
        if let head = file["fc.weight"], head.shape.rank == 2, head.shape[0] != model.configuration.classes {
            reinitialised = ["fc.weight", "fc.bias"]
            lines.append("init: the file's classifier has \(head.shape[0]) classes, this model \(model.configuration.classes): "
                         + "fc.weight and fc.bias re-initialised")
        }
        for text in section.skip {
            let part = ModelPart(text)
            let names = (model.namedParameters().map(\.path) + model.namedBuffers().map(\.path))
                .filter { part.contains(path: $0) }
            guard !names.isEmpty else { throw .skipSelectsNothing(part: text) }
            reinitialised.formUnion(names)
            lines.append("init: \(text) not loaded (init.skip), kept as initialised: \(listed(names))")
        }
        let stemPath = model.stem.kind == .deep ? "conv1.0.weight" : "conv1.weight"
        let channels = model.configuration.inputChannels
        if let stem = file[stemPath], stem.shape.rank == 4, stem.shape[1] != channels {
            file.insert(adaptedStem(stem, to: channels), named: stemPath)
            lines.append("init: \(stemPath) adapted from \(stem.shape[1]) to \(channels) input channels "
                         + (channels == 1 ? "by summing over its input channels"
                                          : "by replicating its input channels and scaling by \(stem.shape[1])/\(channels)"))
        }
        var kept = SafeTensors(metadata: file.metadata)
        for entry in file.entries where !reinitialised.contains(entry.name) {
            switch entry.value {
            case .tensor(let tensor): kept.insert(tensor, named: entry.name)
            case .integers(let integers): kept.insert(integers, named: entry.name)
            }
        }
        let report: StateDictionary.LoadReport
        do {
            report = try StateDictionary.load(kept, into: model, source: source)
        } catch {
            throw .shape(error)
        }
        let missing = report.missing.filter { !reinitialised.contains($0) }
        let loaded = model.namedParameters().count + model.namedBuffers().count - report.missing.count
        lines.append("init: \(loaded) tensors loaded; \(missing.count) missing, \(report.unexpected.count) unexpected")
        if !missing.isEmpty { lines.append("init: missing (kept as initialised): " + listed(missing)) }
        if !report.unexpected.isEmpty { lines.append("init: unexpected (ignored): " + listed(report.unexpected)) }
        if section.strict {
            let counters = missing.filter { $0.hasSuffix("num_batches_tracked") }
            let missingWeights = missing.filter { !counters.contains($0) }
            if !missingWeights.isEmpty || !report.unexpected.isEmpty {
                throw .strict(file: source, missing: missingWeights, unexpected: report.unexpected)
            }
        }
        return lines
    }

    /// The safetensors file a run folder, checkpoint folder or file path means.
    static func weightsURL(_ path: String, checkpoint: Recipe.Initialization.Checkpoint) throws(InitialWeightsError) -> URL {
        let url = URL(fileURLWithPath: (path as NSString).expandingTildeInPath)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
            throw .notFound(path: url.path)
        }
        guard isDirectory.boolValue else { return url }
        let candidates = ["checkpoints/\(checkpoint.rawValue)/model.safetensors", "model.safetensors"]
            .map { url.appendingPathComponent($0) }
        guard let found = candidates.first(where: { FileManager.default.fileExists(atPath: $0.path) }) else {
            throw .noWeights(folder: url.path, checkpoint: checkpoint.rawValue)
        }
        return found
    }

    /// A stem kernel [O, I', k, k] for `channels` inputs: summed over I' for one channel, else cycled and scaled by I'/I.
    static func adaptedStem(_ kernel: Tensor, to channels: Int) -> Tensor {
        let plain = Compute.backend.convert(Compute.backend.reorder(kernel, to: .plain), to: .float32)
        let outputs = kernel.shape[0], inputs = kernel.shape[1]
        let window = kernel.shape[2] * kernel.shape[3]
        let values = plain.scalars
        var adapted = [Float](repeating: 0, count: outputs * channels * window)
        for output in 0..<outputs {
            for channel in 0..<channels {
                let target = (output * channels + channel) * window
                if channels == 1 {
                    for input in 0..<inputs {
                        let origin = (output * inputs + input) * window
                        for offset in 0..<window { adapted[target + offset] += values[origin + offset] }
                    }
                } else {
                    let origin = (output * inputs + channel % inputs) * window
                    let scale = Float(inputs) / Float(channels)
                    for offset in 0..<window { adapted[target + offset] = values[origin + offset] * scale }
                }
            }
        }
        return Tensor(shape: [outputs, channels, kernel.shape[2], kernel.shape[3]], scalars: adapted)
    }

    /// Names for a log line: the first twelve, then how many more.
    private static func listed(_ names: [String]) -> String {
        names.prefix(12).joined(separator: ", ") + (names.count > 12 ? " and \(names.count - 12) more" : "")
    }
}

/// Why a recipe's `init` weights cannot be loaded; each case names the file and what was expected.
public enum InitialWeightsError: Error, CustomStringConvertible, Equatable {
    case notFound(path: String)
    case noWeights(folder: String, checkpoint: String)
    case unreadable(file: String, reason: String)
    case shape(StateDictionaryError)
    case strict(file: String, missing: [String], unexpected: [String])
    case skipSelectsNothing(part: String)

    public var description: String {
        let key = "init.from: "
        return switch self {
        case .notFound(let path):
            key + "\(path): no such file or folder; expected a run folder, a checkpoint folder or a model.safetensors"
        case let .noWeights(folder, checkpoint):
            key + "\(folder): no checkpoints/\(checkpoint)/model.safetensors nor model.safetensors there"
        case let .unreadable(file, reason):
            key + "\(file): cannot read it: \(reason)"
        case .shape(let error):
            key + error.description
        case .skipSelectsNothing(let part):
            "init.skip: '\(part)' selects no parameter of the model; expected stem, layer1..layer4, head, a parameter "
                + "path such as layer4.1 or a glob such as layer4.*.bn*"
        case let .strict(file, missing, unexpected):
            "init.strict: \(file) does not match the model: "
                + [missing.isEmpty ? nil : "missing \(missing.joined(separator: ", "))",
                   unexpected.isEmpty ? nil : "unexpected \(unexpected.joined(separator: ", "))"]
                    .compactMap { $0 }.joined(separator: "; ")
                + " (expected the same names; set init.strict false to load what matches)"
        }
    }
}
