import Layers
import TensorCore

/// A model's parameters and buffers under their dotted paths, as PyTorch's `state_dict`, to and from safetensors.
///
/// Tensors are written plain float32 (running statistics included) and counters
/// as I64, the way torchvision's checkpoints store them, so weights move between
/// Hone, timm and torchvision unchanged.
public enum StateDictionary {
    /// What loading found: names the model has but the file lacks, and names the file has but the model lacks.
    public struct LoadReport: Sendable, Equatable {
        public var missing: [String]
        public var unexpected: [String]

        public init(missing: [String], unexpected: [String]) {
            self.missing = missing
            self.unexpected = unexpected
        }
    }

    /// Every parameter and buffer of `model` in a safetensors value.
    public static func export(_ model: some Layer, metadata: [String: String] = [:]) -> SafeTensors {
        var file = SafeTensors(metadata: metadata)
        let backend = Compute.backend
        for (path, parameter) in model.namedParameters() {
            file.insert(parameter.value, named: path)
        }
        for (path, buffer) in model.namedBuffers() {
            switch buffer.value {
            case .tensor(let tensor):
                file.insert(backend.convert(backend.reorder(tensor, to: .plain), to: .float32), named: path)
            case .count(let count):
                file.insert(IntegerArray(shape: [], values: [count]), named: path)
            }
        }
        return file
    }

    /// Copies every tensor of `file` whose name the model has into the model.
    ///
    /// A shape that differs is an error naming the tensor, both shapes and `source`;
    /// missing and unexpected names are reported, not errors (a new head, say).
    @discardableResult
    public static func load(_ file: SafeTensors, into model: some Layer, source: String) throws(StateDictionaryError)
        -> LoadReport {
        var missing: [String] = []
        var seen: Set<String> = []
        for (path, parameter) in model.namedParameters() {
            guard let tensor = file[path] else { missing.append(path); continue }
            guard tensor.shape == parameter.shape else {
                throw .shapeMismatch(source: source, name: path, expected: parameter.shape, found: tensor.shape)
            }
            parameter.assign(tensor)
            seen.insert(path)
        }
        for (path, buffer) in model.namedBuffers() {
            switch buffer.value {
            case .tensor(let current):
                guard let tensor = file[path] else { missing.append(path); continue }
                guard tensor.shape == current.shape else {
                    throw .shapeMismatch(source: source, name: path, expected: current.shape, found: tensor.shape)
                }
                buffer.value = .tensor(Compute.backend.convert(tensor, to: .float32))
            case .count:
                guard let values = file.integers(named: path) else { missing.append(path); continue }
                guard values.count == 1 else {
                    throw .shapeMismatch(source: source, name: path, expected: [], found: [values.count])
                }
                buffer.value = .count(values[0])
            }
            seen.insert(path)
        }
        return LoadReport(missing: missing, unexpected: file.names.filter { !seen.contains($0) })
    }
}

/// Why weights could not be loaded into a model.
public enum StateDictionaryError: Error, Equatable, CustomStringConvertible {
    case shapeMismatch(source: String, name: String, expected: Shape, found: Shape)

    public var description: String {
        switch self {
        case let .shapeMismatch(source, name, expected, found):
            "\(source): tensor '\(name)' has shape \(found), the model expects \(expected)"
        }
    }
}
