/// Why an automatic-augmentation string such as `rand-m9-mstd0.5-inc1` could not be read.
///
/// Every case carries the whole string and the offending dash-separated token,
/// and its message says what was expected there, so a recipe author can fix the
/// string from the message alone.
public enum AutomaticAugmentationError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The string is empty.
    case empty
    /// The first token names no known scheme or policy.
    case unknownScheme(configuration: String, token: String)
    /// A scheme or option that timm has but Hone does not implement.
    case unsupported(configuration: String, token: String, reason: String)
    /// An option token whose key the scheme does not know.
    case unknownOption(configuration: String, token: String, expected: String)
    /// An option whose value is not what its key needs.
    case badValue(configuration: String, token: String, expected: String)
    /// The same option given twice.
    case repeatedOption(configuration: String, token: String)

    /// A sentence naming the string, the token and what was expected.
    public var description: String {
        switch self {
        case .empty:
            return "automatic augmentation: the configuration is empty; expected 'rand-m9-mstd0.5-inc1', "
                + "'original', 'v0' or 'trivialaugment'"
        case let .unknownScheme(configuration, token):
            return "automatic augmentation '\(configuration)': unknown scheme '\(token)'; expected 'rand', "
                + "an AutoAugment policy ('original', 'originalr', 'v0', 'v0r') or 'trivialaugment'/'ta_wide'"
        case let .unsupported(configuration, token, reason):
            return "automatic augmentation '\(configuration)': '\(token)' is not supported: \(reason)"
        case let .unknownOption(configuration, token, expected):
            return "automatic augmentation '\(configuration)': unknown option '\(token)'; expected \(expected)"
        case let .badValue(configuration, token, expected):
            return "automatic augmentation '\(configuration)': bad value in '\(token)'; expected \(expected)"
        case let .repeatedOption(configuration, token):
            return "automatic augmentation '\(configuration)': option '\(token)' repeats an earlier one; give each key once"
        }
    }
}
