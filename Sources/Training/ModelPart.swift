/// A part of a ResNet that recipes name, or a set of parameter paths: what `freeze.parts` and `optimizer.lr_multipliers` select.
///
/// `stem` is everything before layer1 (`conv1.*`, `bn1.*`, the deep stem's `conv1.0` ...),
/// `layer1` ... `layer4` the residual stages, `head` the classifier `fc`. Any other text is a
/// parameter path: with `*` (any run of characters, dots included) or `?` (one character) a
/// glob over whole paths, such as `layer4.*.bn*`; without them a path or a path prefix that
/// ends at a dot, such as `layer4.1` or `fc.bias`. Paths are torchvision's, so the names mean
/// the same in Hone, timm and torchvision checkpoints.
enum ModelPart: Hashable {
    case stem
    /// A residual stage, 1 to 4.
    case stage(Int)
    case head
    /// A parameter-path glob or a path prefix.
    case path(String)

    /// The part names a recipe may use, in the order of the network.
    static let names = ["stem", "layer1", "layer2", "layer3", "layer4", "head"]

    init(_ text: String) {
        switch text {
        case "stem": self = .stem
        case "head": self = .head
        case "layer1", "layer2", "layer3", "layer4": self = .stage(Int(String(text.last!))!)
        default: self = .path(text)
        }
    }

    /// The named part a parameter path belongs to, nil for a path outside stem, stages and head.
    static func named(containing path: String) -> ModelPart? {
        if path.hasPrefix("conv1.") || path.hasPrefix("bn1.") { return .stem }
        if path.hasPrefix("fc.") { return .head }
        for stage in 1...4 where path.hasPrefix("layer\(stage).") { return .stage(stage) }
        return nil
    }

    /// Whether the parameter (or buffer) at `path` belongs to this part.
    func contains(path: String) -> Bool {
        switch self {
        case .stem, .stage, .head:
            return Self.named(containing: path) == self
        case .path(let pattern):
            if pattern.contains("*") || pattern.contains("?") {
                return Self.glob(Array(pattern), matches: Array(path))
            }
            return path == pattern || path.hasPrefix(pattern + ".")
        }
    }

    /// How many named parts lie between this one and the head: head 0, layer4 1, ..., stem 5 (layer-wise decay's exponent).
    var depth: Int? {
        switch self {
        case .head: 0
        case .stage(let stage): 5 - stage
        case .stem: 5
        case .path: nil
        }
    }

    /// Whole-string glob matching with `*` and `?`, by dynamic programming over the two strings.
    private static func glob(_ pattern: [Character], matches text: [Character]) -> Bool {
        var matched = [Bool](repeating: false, count: text.count + 1)
        matched[0] = true
        for symbol in pattern {
            var next = [Bool](repeating: false, count: text.count + 1)
            if symbol == "*" {
                var any = false
                for index in 0...text.count {
                    any = any || matched[index]
                    next[index] = any
                }
            } else {
                for index in 0..<text.count where matched[index] && (symbol == "?" || symbol == text[index]) {
                    next[index + 1] = true
                }
            }
            matched = next
        }
        return matched[text.count]
    }
}
