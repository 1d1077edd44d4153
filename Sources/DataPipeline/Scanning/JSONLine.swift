import Foundation

/// Encodes a value as one line of JSON with sorted keys: the stable, greppable form of `hone scan --json`.
///
/// Sorted keys make each line byte-identical from run to run; slashes stay
/// unescaped so paths read as paths. A coding key built from any string lets
/// a record spell its flags as keys of their own.
enum JSONLine {
    /// A coding key spelled by a string.
    struct Key: CodingKey {
        let stringValue: String
        var intValue: Int? { nil }

        init(_ string: String) {
            stringValue = string
        }

        init?(stringValue: String) {
            self.init(stringValue)
        }

        init?(intValue: Int) {
            nil
        }
    }

    /// The value's JSON on one line, without a line break.
    ///
    /// - Precondition: the value encodes (every number it holds is finite); the scan types guarantee it.
    static func encode(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do {
            return String(decoding: try encoder.encode(value), as: UTF8.self)
        } catch {
            preconditionFailure("a scan value failed to encode as JSON: \(error)")
        }
    }
}
