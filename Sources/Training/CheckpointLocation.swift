import Foundation

/// The weights file and the recipe a user's path means: a run folder, a checkpoint folder or a model.safetensors.
///
/// A run folder gives `checkpoints/best/model.safetensors`, else `checkpoints/last/...`;
/// any other folder its own `model.safetensors`. The recipe is the `recipe.yaml` of the
/// given folder, else the first one in the weights file's folder or the two above it,
/// which finds a run's recipe from `run/checkpoints/best/model.safetensors`. Shared by
/// `hone eval --checkpoint` and distillation's teacher, so both read a path the same way.
public struct CheckpointLocation: Sendable, Equatable {
    /// The safetensors state dictionary.
    public var weights: URL
    /// The recipe that built the model, when one was found.
    public var recipe: URL?

    public init(path: String) throws(CheckpointLocationError) {
        let fileManager = FileManager.default
        let url = URL(fileURLWithPath: (path as NSString).expandingTildeInPath)
        var isDirectory: ObjCBool = false
        guard fileManager.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
            throw .notFound(path: url.path)
        }
        var recipeFolders: [URL] = []
        if isDirectory.boolValue {
            let candidates = ["checkpoints/best/model.safetensors", "checkpoints/last/model.safetensors",
                              "model.safetensors"].map { url.appendingPathComponent($0) }
            guard let found = candidates.first(where: { fileManager.fileExists(atPath: $0.path) }) else {
                throw .noWeights(folder: url.path)
            }
            weights = found
            recipeFolders.append(url)
        } else {
            weights = url
        }
        var folder = weights.deletingLastPathComponent()
        for _ in 0..<3 {
            recipeFolders.append(folder)
            folder = folder.deletingLastPathComponent()
        }
        recipe = recipeFolders.map { $0.appendingPathComponent("recipe.yaml") }
            .first { fileManager.fileExists(atPath: $0.path) }
    }
}

/// Why a path names no weights; each case names the path and what was expected there.
public enum CheckpointLocationError: Error, CustomStringConvertible, Equatable, Sendable {
    case notFound(path: String)
    case noWeights(folder: String)

    public var description: String {
        switch self {
        case .notFound(let path):
            "\(path): no such file or folder; expected a run folder, a checkpoint folder or a model.safetensors"
        case .noWeights(let folder):
            "\(folder): no model.safetensors there, nor checkpoints/best or checkpoints/last"
        }
    }
}
