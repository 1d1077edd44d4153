import Foundation
import Yams

/// Finds a duplicated block-mapping key's second occurrence and its dotted path from the text's indentation.
///
/// A best effort for the common block style (`key: value` lines); flow mappings and quoted
/// keys fall back to Yams' own position.
enum DuplicateKeyLocator {
    static func locate(key: String, first: Mark, in yaml: String) -> (line: Int, column: Int, path: String)? {
        let lines = yaml.split(separator: "\n", omittingEmptySubsequences: false)
        let indent = first.column - 1
        guard first.line >= 1, first.line <= lines.count,
              let firstKey = blockKey(lines[first.line - 1]), firstKey.indent == indent, firstKey.name == key else {
            return nil
        }
        var second: Int?
        for index in first.line..<lines.count {
            guard let candidate = blockKey(lines[index]) else { continue }
            if candidate.indent < indent { break }
            if candidate.indent == indent && candidate.name == key {
                second = index
                break
            }
        }
        guard let second else { return nil }
        var path = [key]
        var level = indent
        for index in stride(from: first.line - 2, through: 0, by: -1) where level > 0 {
            if let parent = blockKey(lines[index]), parent.indent < level {
                path.insert(parent.name, at: 0)
                level = parent.indent
            }
        }
        return (second + 1, first.column, path.joined(separator: "."))
    }

    /// The indentation and name of a `name:` or `name: value` line, if the line is one.
    private static func blockKey(_ line: Substring) -> (indent: Int, name: String)? {
        let body = line.drop(while: { $0 == " " })
        let indent = line.count - body.count
        guard let colon = body.firstIndex(of: ":") else { return nil }
        let after = body[body.index(after: colon)...]
        guard after.isEmpty || after.first == " " || after.first == "\t" else { return nil }
        let name = body[..<colon].trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty, !name.hasPrefix("#"), !name.hasPrefix("-"), !name.contains(" ") else { return nil }
        return (indent, name)
    }
}
