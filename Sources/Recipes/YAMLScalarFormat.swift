import Yams

/// Writes numbers and strings as YAML scalars that read back to exactly the same value.
///
/// Numbers use Swift's shortest round-tripping form (`0.1`, `0.0005`, `1e-05`), which YAML
/// resolves as floats. Strings stay plain when YAML would read them back as the same
/// string (`resnet18`, `/data/fashion-mnist`) and are double-quoted otherwise (`'123'`,
/// `'a: b'`, `'null'`), so a path or id can never turn into a number or a mapping.
enum YAMLScalarFormat {
    /// A finite double as a YAML float.
    static func number(_ value: Double) -> String {
        "\(value)"
    }

    /// A string as a YAML scalar: plain where that is unambiguous, else double-quoted.
    static func string(_ value: String) -> String {
        if !value.isEmpty, !value.contains(where: { $0.isNewline }),
           case let .scalar(scalar)? = try? Yams.compose(yaml: value),
           scalar.tagName == .str, scalar.style == .plain, scalar.string == value {
            return value
        }
        return quoted(value)
    }

    /// A double-quoted YAML scalar with backslash escapes.
    private static func quoted(_ value: String) -> String {
        var result = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\t": result += "\\t"
            case "\r": result += "\\r"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                let hex = String(scalar.value, radix: 16, uppercase: true)
                result += "\\x" + String(repeating: "0", count: 2 - hex.count) + hex
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }
}
