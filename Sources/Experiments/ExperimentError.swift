/// Why an experiment file could not be used: where (file, line, column), which key, and what is wrong.
///
/// Rendered like `RecipeError`, `experiments/x.yaml:9:14: cells.mixup: data.mixupp: unknown key ...`,
/// so editors and terminals can jump to the spot. A cell's recipe that fails to load
/// is reported at the cell's override in the experiment file, naming the cell, because
/// that is the line the user must fix.
public struct ExperimentError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The experiment file's path as given.
    public var source: String
    /// The line of the offending key or value, from 1.
    public var line: Int?
    /// The column of the offending key or value, from 1.
    public var column: Int?
    /// The dotted key the error is about, such as `cells.mixup`; nil for errors about the whole file.
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
