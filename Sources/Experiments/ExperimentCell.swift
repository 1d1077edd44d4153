/// One cell of an experiment: a name, optionally its own recipe, and the recipe overrides that set it apart from the others.
///
/// The overrides are `key=value` texts in the syntax of `hone train --set`, so a cell reads
/// in a report exactly as a user would type it, and the recipe loader validates it exactly
/// as it validates a command line. A cell with its own `recipe` (a preset or a file) is how
/// a table whose rows are whole recipes reads, such as the Bag of Tricks refinement stack.
public struct ExperimentCell: Sendable, Equatable {
    /// The cell's name, also its folder under the experiment's output.
    public var name: String
    /// The cell's own recipe, as written; nil uses the experiment's.
    public var recipe: String?
    /// The cell's overrides, in declaration order.
    public var overrides: [Override]

    public init(name: String, recipe: String? = nil, overrides: [Override]) {
        self.name = name
        self.recipe = recipe
        self.overrides = overrides
    }

    /// One recipe key and the value a cell gives it.
    public struct Override: Sendable, Equatable {
        /// The dotted recipe key, such as `loss.label_smoothing`.
        public var key: String
        /// The value as flow YAML, such as `0.1`, `[0.35, 1.0]` or `{name: resnet50}`.
        public var value: String

        public init(key: String, value: String) {
            self.key = key
            self.value = value
        }

        /// The override as `hone train --set` takes it.
        public var text: String { "\(key)=\(value)" }
    }

    /// The cell's recipe and overrides as one readable line, `-` for none (the baseline's usual look in a table).
    public var factors: String {
        let parts = (recipe.map { ["recipe=\($0)"] } ?? []) + overrides.map(\.text)
        return parts.isEmpty ? "-" : parts.joined(separator: ", ")
    }
}
