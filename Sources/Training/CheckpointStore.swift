import Foundation
import Interop
import Layers
import Optimizers
import TensorCore

/// Writes and reads a run's checkpoints so that a crash at any moment leaves the previous one intact.
///
/// Layout: `checkpoints/step-00001234/{model,training-state}.safetensors` (plus
/// `ema.safetensors`, the weight average's state dictionary, in a run that keeps one),
/// with the symbolic links `last` and `best` pointing at a step folder. A save writes a new
/// folder under a temporary name (each file fsynced), renames it into place, then
/// swaps the link by renaming a fresh link over it — each step atomic — and only
/// then removes folders no link points to. `model.safetensors` is a plain state
/// dictionary (torchvision names) that timm or PyTorch can load as it is.
public struct CheckpointStore: Sendable {
    public enum Name: String, Sendable, CaseIterable {
        case last, best
    }

    /// What a checkpoint holds.
    public struct Contents {
        public var model: SafeTensors
        public var optimizer: OptimizerState
        public var progress: TrainingProgress
        /// The weight average and its update count, in a run that keeps one.
        public var ema: (weights: SafeTensors, updates: Int)?
    }

    public let directory: URL
    static let modelFile = "model.safetensors"
    static let stateFile = "training-state.safetensors"
    static let emaFile = "ema.safetensors"
    static let format = "hone-training-state-1"

    public init(directory: URL) {
        self.directory = directory
    }

    /// The weights file a link points at (for `hone eval --checkpoint`).
    public func modelURL(_ name: Name) -> URL {
        directory.appendingPathComponent(name.rawValue).appendingPathComponent(Self.modelFile)
    }

    /// The weight average's file a link points at (present only in runs with an EMA).
    public func emaURL(_ name: Name) -> URL {
        directory.appendingPathComponent(name.rawValue).appendingPathComponent(Self.emaFile)
    }

    /// Whether a checkpoint under `name` exists.
    public func exists(_ name: Name) -> Bool {
        FileManager.default.fileExists(atPath: modelURL(name).path)
    }

    /// Saves the model, the weight average if any, the optimizer's state and the progress; points `names` at it.
    public func save(model: some Layer, ema: ModelEMA? = nil, optimizer: OptimizerState, progress: TrainingProgress,
                     as names: [Name]) throws(CheckpointError) {
        let fileManager = FileManager.default
        var folderName = String(format: "step-%08d", progress.step)
        var suffix = 2
        while fileManager.fileExists(atPath: directory.appendingPathComponent(folderName).path) {
            folderName = String(format: "step-%08d-%d", progress.step, suffix)
            suffix += 1
        }
        let temporary = directory.appendingPathComponent(".incoming-\(UUID().uuidString)")
        do {
            try fileManager.createDirectory(at: temporary, withIntermediateDirectories: true)
            var weights = StateDictionary.export(model, metadata: ["format": "pt", "step": String(progress.step)])
            weights.metadata["recipe_fingerprint"] = progress.recipeFingerprint
            try weights.write(to: temporary.appendingPathComponent(Self.modelFile))
            if let ema {
                let average = StateDictionary.export(ema.average, metadata: [
                    "format": "pt", "step": String(progress.step), "ema_updates": String(ema.updateCount),
                    "recipe_fingerprint": progress.recipeFingerprint,
                ])
                try average.write(to: temporary.appendingPathComponent(Self.emaFile))
            }
            try stateFile(optimizer: optimizer, progress: progress).write(to: temporary.appendingPathComponent(Self.stateFile))
            try rename(temporary, to: directory.appendingPathComponent(folderName))
            synchronizeDirectory(directory)
            for name in names { try pointLink(name, at: folderName) }
            synchronizeDirectory(directory)
            try removeUnreferencedFolders()
        } catch let error as CheckpointError {
            try? fileManager.removeItem(at: temporary)
            throw error
        } catch {
            try? fileManager.removeItem(at: temporary)
            throw .writeFailed(path: directory.path, reason: "\(error)")
        }
    }

    /// Reads the checkpoint `name` points at.
    public func load(_ name: Name) throws(CheckpointError) -> Contents {
        guard exists(name) else { throw .noCheckpoint(directory: directory.path) }
        let folder = directory.appendingPathComponent(name.rawValue)
        let modelURL = folder.appendingPathComponent(Self.modelFile)
        let stateURL = folder.appendingPathComponent(Self.stateFile)
        let emaURL = folder.appendingPathComponent(Self.emaFile)
        let model: SafeTensors
        let state: SafeTensors
        var average: SafeTensors?
        do {
            model = try SafeTensors(contentsOf: modelURL)
            state = try SafeTensors(contentsOf: stateURL)
            if FileManager.default.fileExists(atPath: emaURL.path) { average = try SafeTensors(contentsOf: emaURL) }
        } catch {
            throw .unreadable(file: folder.path, reason: error.description)
        }
        let progress = try Self.progress(from: state, file: stateURL.path)
        let optimizer = try Self.optimizerState(from: state, file: stateURL.path)
        var ema: (weights: SafeTensors, updates: Int)?
        if let average {
            guard let text = average.metadata["ema_updates"], let updates = Int(text), updates >= 0 else {
                throw .badField(file: emaURL.path, field: "ema_updates", expected: "a non-negative integer",
                                found: "'\(average.metadata["ema_updates"] ?? "none")'")
            }
            ema = (average, updates)
        }
        return Contents(model: model, optimizer: optimizer, progress: progress, ema: ema)
    }

    func stateFile(optimizer: OptimizerState, progress: TrainingProgress) -> SafeTensors {
        var metadata = [
            "format": Self.format,
            "epoch": String(progress.epoch),
            "batch_in_epoch": String(progress.batchInEpoch),
            "step": String(progress.step),
            "model_random_state": String(progress.modelRandomState),
            "recipe_fingerprint": progress.recipeFingerprint,
            "epoch_loss_sum": String(progress.epochLossSum.bitPattern),
            "elapsed_seconds": String(progress.elapsedSeconds),
            "optimizer_steps": String(optimizer.stepCount),
            "world_size": String(progress.worldSize),
        ]
        if let best = progress.bestTop1 { metadata["best_top1"] = String(best) }
        var file = SafeTensors(metadata: metadata)
        for (slot, buffers) in optimizer.slots.sorted(by: { $0.key < $1.key }) {
            for (path, values) in buffers.sorted(by: { $0.key < $1.key }) {
                file.insert(Tensor(shape: [values.count], scalars: values), named: "optimizer.\(slot).\(path)")
            }
        }
        return file
    }

    /// Reads `optimizer.<slot>.<path>` tensors (and the `momentum.<path>` of earlier checkpoints, SGD's only slot).
    static func optimizerState(from state: SafeTensors, file: String) throws(CheckpointError) -> OptimizerState {
        var result = OptimizerState()
        if let text = state.metadata["optimizer_steps"] {
            guard let steps = Int(text), steps >= 0 else {
                throw .badField(file: file, field: "optimizer_steps", expected: "a non-negative integer", found: "'\(text)'")
            }
            result.stepCount = steps
        }
        for name in state.names {
            let slot: String
            let path: Substring
            if name.hasPrefix("optimizer.") {
                let rest = name.dropFirst("optimizer.".count)
                guard let dot = rest.firstIndex(of: "."), dot != rest.startIndex else {
                    throw .badField(file: file, field: name, expected: "a tensor named optimizer.<slot>.<parameter>",
                                    found: "'\(name)'")
                }
                slot = String(rest[..<dot])
                path = rest[rest.index(after: dot)...]
            } else if name.hasPrefix("momentum.") {
                slot = "momentum"
                path = name.dropFirst("momentum.".count)
            } else {
                continue
            }
            result.slots[slot, default: [:]][String(path)] = state[name]?.scalars
        }
        return result
    }

    static func progress(from state: SafeTensors, file: String) throws(CheckpointError) -> TrainingProgress {
        let metadata = state.metadata
        guard metadata["format"] == format else {
            throw .badField(file: file, field: "format", expected: "'\(format)'", found: "'\(metadata["format"] ?? "none")'")
        }
        func integer(_ field: String) throws(CheckpointError) -> Int {
            guard let text = metadata[field], let value = Int(text), value >= 0 else {
                throw .badField(file: file, field: field, expected: "a non-negative integer", found: "'\(metadata[field] ?? "none")'")
            }
            return value
        }
        guard let randomText = metadata["model_random_state"], let randomState = UInt64(randomText) else {
            throw .badField(file: file, field: "model_random_state", expected: "an unsigned 64-bit integer",
                            found: "'\(metadata["model_random_state"] ?? "none")'")
        }
        guard let fingerprint = metadata["recipe_fingerprint"] else {
            throw .badField(file: file, field: "recipe_fingerprint", expected: "the recipe's fingerprint", found: "none")
        }
        var best: Double?
        if let text = metadata["best_top1"] {
            guard let value = Double(text) else {
                throw .badField(file: file, field: "best_top1", expected: "a number", found: "'\(text)'")
            }
            best = value
        }
        guard let lossText = metadata["epoch_loss_sum"], let lossBits = UInt64(lossText) else {
            throw .badField(file: file, field: "epoch_loss_sum", expected: "the bit pattern of a double",
                            found: "'\(metadata["epoch_loss_sum"] ?? "none")'")
        }
        guard let elapsedText = metadata["elapsed_seconds"], let elapsed = Double(elapsedText) else {
            throw .badField(file: file, field: "elapsed_seconds", expected: "a number",
                            found: "'\(metadata["elapsed_seconds"] ?? "none")'")
        }
        // Checkpoints from before data-parallel training have no world size: they were written by one process.
        let worldSize = metadata["world_size"] == nil ? 1 : try integer("world_size")
        return TrainingProgress(epoch: try integer("epoch"), batchInEpoch: try integer("batch_in_epoch"),
                                step: try integer("step"), bestTop1: best, modelRandomState: randomState,
                                recipeFingerprint: fingerprint, epochLossSum: Double(bitPattern: lossBits),
                                elapsedSeconds: elapsed, worldSize: worldSize)
    }

    private func pointLink(_ name: Name, at folderName: String) throws(CheckpointError) {
        let link = directory.appendingPathComponent(name.rawValue)
        let temporaryLink = directory.appendingPathComponent(".\(name.rawValue)-\(UUID().uuidString)")
        guard symlink(folderName, temporaryLink.path) == 0 else {
            throw .writeFailed(path: temporaryLink.path, reason: String(cString: strerror(errno)))
        }
        try rename(temporaryLink, to: link)
    }

    private func rename(_ source: URL, to destination: URL) throws(CheckpointError) {
        guard Foundation.rename(source.path, destination.path) == 0 else {
            throw .writeFailed(path: destination.path, reason: String(cString: strerror(errno)))
        }
    }

    private func removeUnreferencedFolders() throws(CheckpointError) {
        let fileManager = FileManager.default
        let referenced = Set(Name.allCases.compactMap { name in
            try? fileManager.destinationOfSymbolicLink(atPath: directory.appendingPathComponent(name.rawValue).path)
        })
        let entries = (try? fileManager.contentsOfDirectory(atPath: directory.path)) ?? []
        for entry in entries where entry.hasPrefix("step-") && !referenced.contains(entry) {
            try? fileManager.removeItem(at: directory.appendingPathComponent(entry))
        }
    }

    private func synchronizeDirectory(_ url: URL) {
        let descriptor = open(url.path, O_RDONLY | O_DIRECTORY)
        guard descriptor >= 0 else { return }
        fsync(descriptor)
        close(descriptor)
    }
}
