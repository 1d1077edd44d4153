import Recipes

/// An experiment as its file declares it: one recipe, overrides for every cell, named cells, seeds and a baseline.
///
/// Every cell runs once per seed; a run's recipe is the base recipe, then `overrides`,
/// then the cell's own overrides, then `seed`. The cells come either from a `cells:`
/// mapping (named by the user) or from a `grid:` of factor values (their Cartesian
/// product, named from the values); both end up as this one list, so running and
/// reporting never need to know which form the file used.
public struct Experiment: Sendable, Equatable {
    /// The experiment's name: the default output folder is `runs/experiments/<name>`.
    public var name: String
    /// A preset name or a recipe path relative to the experiment file, as written.
    public var recipe: String
    /// `key=value` overrides applied to every cell, in order.
    public var overrides: [String]
    /// The seeds every cell runs with, in order.
    public var seeds: [UInt64]
    /// The cell that paired deltas are computed against.
    public var baseline: String
    /// The cells, in declaration order.
    public var cells: [ExperimentCell]
    /// Where each key of the file sits, by dotted key (`recipe`, `set[1]`, `cells.mixup.data.mixup`), for errors.
    var locations: [String: SourceLocation] = [:]

    public init(name: String, recipe: String, overrides: [String], seeds: [UInt64], baseline: String,
                cells: [ExperimentCell]) {
        self.name = name
        self.recipe = recipe
        self.overrides = overrides
        self.seeds = seeds
        self.baseline = baseline
        self.cells = cells
    }

    /// The cell named `name`, if there is one.
    public func cell(named name: String) -> ExperimentCell? {
        cells.first { $0.name == name }
    }
}

/// A line and column in a source file, both from 1.
struct SourceLocation: Sendable, Equatable {
    var line: Int
    var column: Int
}

extension YAMLNodeReader {
    /// Where the reader's node starts in the experiment file.
    var location: SourceLocation? {
        node.mark.map { SourceLocation(line: $0.line, column: $0.column) }
    }
}
