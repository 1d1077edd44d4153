/// Why a saved optimizer state cannot be restored into an optimizer.
public enum OptimizerStateError: Error, Equatable, CustomStringConvertible {
    case unknownSlot(String, expected: [String])
    case unknownParameter(String, slot: String)
    case sizeMismatch(String, slot: String, expected: Int, found: Int)

    public var description: String {
        switch self {
        case .unknownSlot(let slot, let expected):
            "optimizer state '\(slot)' does not belong to this optimizer (it keeps \(expected.joined(separator: ", ")))"
        case .unknownParameter(let path, let slot):
            "optimizer state '\(slot)' names parameter '\(path)', which the model does not have"
        case .sizeMismatch(let path, let slot, let expected, let found):
            "optimizer state '\(slot)' of '\(path)' has \(found) values, expected \(expected)"
        }
    }
}
