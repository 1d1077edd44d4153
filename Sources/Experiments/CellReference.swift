import Foundation
import Recipes

/// `cell:<name>[:best|:last]`: the run of an earlier cell with the same seed, as a later cell's starting weights or teacher.
///
/// An experiment's cells run cell by cell, so a cell can start from an earlier cell's
/// result: the low-to-high-resolution table continues each seed of the low-resolution
/// cell at a higher resolution, the fine-tuning tables fine-tune each seed of a
/// pre-training cell. The reference is written where a recipe takes a path
/// (`init.from`, `loss.distillation_teacher`) and becomes that seed's run folder (and,
/// for `init.from`, the checkpoint to read when the reference names one).
public struct CellReference: Sendable, Equatable {
    /// The text every reference starts with.
    public static let prefix = "cell:"

    /// The earlier cell's name.
    public var cell: String
    /// Which of its run's checkpoints to read; nil leaves it to the recipe (`init.checkpoint`, `best` for a teacher).
    public var checkpoint: Recipe.Initialization.Checkpoint?

    public init(cell: String, checkpoint: Recipe.Initialization.Checkpoint? = nil) {
        self.cell = cell
        self.checkpoint = checkpoint
    }

    /// The reference `text` spells, nil when it is not a reference at all (a path); throws a message when it is malformed.
    public static func parse(_ text: String?) throws(CellReferenceSyntaxError) -> CellReference? {
        guard let text, text.hasPrefix(prefix) else { return nil }
        let parts = text.dropFirst(prefix.count).split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard (1...2).contains(parts.count), !parts[0].isEmpty,
              parts.count == 1 || Recipe.Initialization.Checkpoint(rawValue: parts[1]) != nil else {
            throw CellReferenceSyntaxError(text: text)
        }
        return CellReference(cell: parts[0],
                             checkpoint: parts.count == 2 ? Recipe.Initialization.Checkpoint(rawValue: parts[1]) : nil)
    }

    /// The run folder of the referenced cell's run with `seed` under the experiment's `output`.
    public func folder(in output: URL, seed: UInt64) -> URL {
        output.appendingPathComponent(cell).appendingPathComponent("seed-\(seed)")
    }

    /// The checkpoint folder it names, for readers that take one weights location (a distillation teacher).
    public func checkpointFolder(in output: URL, seed: UInt64) -> URL {
        folder(in: output, seed: seed).appendingPathComponent("checkpoints")
            .appendingPathComponent((checkpoint ?? .best).rawValue)
    }
}

/// A `cell:` text that is not `cell:<name>`, `cell:<name>:best` or `cell:<name>:last`.
public struct CellReferenceSyntaxError: Error, Sendable, Equatable {
    public var text: String

    public init(text: String) {
        self.text = text
    }

    public var message: String {
        "'\(text)': expected cell:<name>, cell:<name>:best or cell:<name>:last, naming an earlier cell"
    }
}
