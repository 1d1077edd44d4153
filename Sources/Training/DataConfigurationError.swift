/// A recipe's data section that cannot be served as written: names the key, what it holds and what was expected.
public struct DataConfigurationError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The recipe key at fault, e.g. `data.image_size`.
    public let key: String
    /// What is wrong and what would be accepted.
    public let message: String

    public init(key: String, message: String) {
        self.key = key
        self.message = message
    }

    public var description: String { "\(key): \(message)" }
}
