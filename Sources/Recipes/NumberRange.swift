/// The allowed interval of a real-valued recipe key.
///
/// Spelled out in error messages (`a number >= 0 and < 1`), so the user sees the rule, not just a refusal.
enum NumberRange {
    /// x > 0.
    case positive
    /// x >= 0.
    case nonNegative
    /// 0 <= x < 1: rates and probabilities that must leave something.
    case unitInterval
    /// 0 <= x <= 1: probabilities.
    case probability

    func contains(_ value: Double) -> Bool {
        switch self {
        case .positive: value > 0
        case .nonNegative: value >= 0
        case .unitInterval: value >= 0 && value < 1
        case .probability: value >= 0 && value <= 1
        }
    }

    var description: String {
        switch self {
        case .positive: "a number > 0"
        case .nonNegative: "a number >= 0"
        case .unitInterval: "a number >= 0 and < 1"
        case .probability: "a number >= 0 and <= 1"
        }
    }
}
