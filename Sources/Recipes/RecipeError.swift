/// Why a recipe could not be loaded: where (file or `--set` override, line, column), which key, and what is wrong.
///
/// Rendered like a compiler diagnostic, `recipes/x.yaml:7:3: model.stem: 'wide' is not a valid
/// choice; expected one of classic, deep, small-image`, so editors and terminals can jump to
/// the spot. Line and column are absent where they would mean nothing: a `--set` override,
/// or a file that cannot be read at all.
///
/// One error type for every failure keeps the loader's `throws(RecipeError)` honest: callers
/// print `description` and stop, there is nothing to recover from a bad recipe.
public struct RecipeError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The recipe file's path as given, or `--set key=value` for an override.
    public var source: String
    /// The line of the offending key or value, from 1.
    public var line: Int?
    /// The column of the offending key or value, from 1.
    public var column: Int?
    /// The dotted key the error is about, such as `schedule.epochs`; nil for errors about the whole document.
    public var keyPath: String?
    /// What is wrong, and what would be valid.
    public var message: String

    public init(source: String, line: Int? = nil, column: Int? = nil, keyPath: String? = nil, message: String) {
        self.source = source
        self.line = line
        self.column = column
        self.keyPath = keyPath
        self.message = message
    }

    public var description: String {
        var location = source
        if let line {
            location += ":\(line)"
            if let column { location += ":\(column)" }
        }
        let key = keyPath.map { "\($0): " } ?? ""
        return "\(location): \(key)\(message)"
    }
}
