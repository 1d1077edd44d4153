extension Recipe {
    /// The whole recipe as YAML, every key present, in schema order.
    ///
    /// Loading this text gives back an equal recipe, so a run folder's `recipe.yaml`
    /// reproduces the run even when it was started from defaults and `--set` overrides.
    public func resolvedYAML() -> String {
        var lines: [String] = []
        func emit(_ keys: [RecipeKey], indent: String) {
            for key in keys {
                switch key.content {
                case let .value(_, write):
                    lines.append("\(indent)\(key.name): \(write(self))")
                case let .section(children):
                    lines.append("\(indent)\(key.name):")
                    emit(children, indent: indent + "  ")
                }
            }
        }
        emit(Self.schema(knownModels: []), indent: "")
        return lines.joined(separator: "\n") + "\n"
    }

    /// A 16-digit hexadecimal FNV-1a 64 hash of `resolvedYAML()`: equal recipes, equal fingerprints.
    ///
    /// Checkpoints record it so a resume with a different recipe is refused. It depends
    /// only on the resolved values, not on how the file was laid out or commented.
    public var fingerprint: String { Self.fingerprint(ofResolvedYAML: resolvedYAML()) }

    /// The fingerprint of a recipe whose `resolvedYAML()` was `text` (a run folder's `recipe.yaml` as written).
    ///
    /// A run started by an older Hone has the recipe.yaml of that version's schema; a
    /// key added since changes today's `fingerprint` of the same recipe but not this.
    public static func fingerprint(ofResolvedYAML text: String) -> String {
        let hex = String(FNV1a64.hash(text.utf8), radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
