import Foundation

/// Turns the lines of an image list file into (path, labels) entries, one line at a time.
///
/// Holds what the first lines decide for the rest (CSV or white space, whether
/// a header was seen) so that `ImageListFile` stays a loop; the syntax it
/// accepts is documented on `ImageListFile`.
struct ImageListLineParser {
    /// One data line: the image path as written and its class ids.
    struct Entry: Equatable {
        /// The path as the line gives it.
        let path: String
        /// The class ids, in the order the line gives them.
        let labels: [Int32]
    }

    /// The list file's path, for messages.
    let listFilePath: String
    /// How to read the file.
    let options: ImageListFile.Options
    /// CSV or not, once the first non-blank line has decided it.
    private var isCSV: Bool?

    /// A parser for the file at `listFilePath` read with `options`.
    init(listFilePath: String, options: ImageListFile.Options) {
        self.listFilePath = listFilePath
        self.options = options
    }

    /// The entry on `line`, or `nil` for a blank line or a header.
    mutating func parse(_ line: Substring, lineNumber: Int) throws(ImageListFileError) -> Entry? {
        guard line.contains(where: { !$0.isWhitespace }) else { return nil }
        let isFirstLine = isCSV == nil
        let isCSV = self.isCSV ?? decideCSV(firstLine: line)
        self.isCSV = isCSV
        let fields = isCSV
            ? try csvFields(line, lineNumber: lineNumber)
            : line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        let path = fields.first ?? ""
        let labelTokens = fields.dropFirst().flatMap { $0.split(whereSeparator: { $0 == " " || $0 == "\t" }) }.map(String.init)

        if isFirstLine && isCSV {
            switch options.header {
            case .present: return nil
            case .detect where labelTokens.isEmpty || labelTokens.contains(where: { classID(of: $0) == nil }): return nil
            case .detect, .absent: break
            }
        }
        guard !path.isEmpty else {
            throw .malformedLine(listFile: listFilePath, line: lineNumber, expected: "an image path first", found: String(line))
        }
        guard !labelTokens.isEmpty else {
            throw .malformedLine(
                listFile: listFilePath, line: lineNumber, expected: "a label after the path \"\(path)\"", found: String(line)
            )
        }
        if options.labeling == .singleLabel && labelTokens.count > 1 {
            throw .malformedLine(
                listFile: listFilePath, line: lineNumber,
                expected: "exactly one label (read the file as multi-label for several), found \(labelTokens.count)",
                found: String(line)
            )
        }
        var labels: [Int32] = []
        for token in labelTokens {
            guard let id = classID(of: token) else {
                throw .badLabel(listFile: listFilePath, line: lineNumber, label: token, expected: expectedLabel)
            }
            if labels.contains(id) {
                throw .duplicateLabel(listFile: listFilePath, line: lineNumber, label: token)
            }
            labels.append(id)
        }
        return Entry(path: path, labels: labels)
    }

    /// Whether the file is CSV, decided once from its first non-blank line.
    private func decideCSV(firstLine: Substring) -> Bool {
        switch options.syntax {
        case .csv: return true
        case .whitespace: return false
        case .automatic: return firstLine.contains(",")
        }
    }

    /// The class id a label token names, or `nil` when it names none.
    private func classID(of token: String) -> Int32? {
        switch options.classes {
        case let .indexed(names):
            guard let id = Int32(token), id >= 0 else { return nil }
            let classCount = names?.count ?? SampleIndex.inferredClassLimit
            return Int(id) < classCount ? id : nil
        case let .named(map):
            return map.id(of: token)
        }
    }

    /// What a label must look like, for messages.
    private var expectedLabel: String {
        switch options.classes {
        case .indexed(names: nil):
            return "a non-negative integer class index below \(SampleIndex.inferredClassLimit) (give class names for more)"
        case let .indexed(names?):
            return "a class index in 0..<\(names.count)"
        case let .named(map):
            return "one of the \(map.count) class names in \(map.source)"
        }
    }

    /// Splits one CSV line into fields, unquoting quoted ones (RFC 4180, without line breaks inside quotes).
    ///
    /// Lines without a quote, the usual case, are split on commas directly.
    private func csvFields(_ line: Substring, lineNumber: Int) throws(ImageListFileError) -> [String] {
        guard line.contains("\"") else {
            return line.split(separator: ",", omittingEmptySubsequences: false).map(Self.trimmingBlanks)
        }
        var fields: [String] = []
        var field = ""
        var index = line.startIndex
        var fieldWasQuoted = false
        while index < line.endIndex {
            let character = line[index]
            if character == "\"" && field.allSatisfy({ $0 == " " || $0 == "\t" }) && !fieldWasQuoted {
                field = ""
                fieldWasQuoted = true
                index = line.index(after: index)
                var closed = false
                while index < line.endIndex {
                    let quoted = line[index]
                    index = line.index(after: index)
                    if quoted == "\"" {
                        if index < line.endIndex && line[index] == "\"" {
                            field.append("\"")
                            index = line.index(after: index)
                        } else {
                            closed = true
                            break
                        }
                    } else {
                        field.append(quoted)
                    }
                }
                guard closed else {
                    throw .malformedLine(
                        listFile: listFilePath, line: lineNumber, expected: "a closing double quote", found: String(line)
                    )
                }
                while index < line.endIndex && (line[index] == " " || line[index] == "\t") {
                    index = line.index(after: index)
                }
                guard index == line.endIndex || line[index] == "," else {
                    throw .malformedLine(
                        listFile: listFilePath, line: lineNumber,
                        expected: "a comma or the line's end after a closing quote", found: String(line)
                    )
                }
                continue
            }
            index = line.index(after: index)
            if character == "," {
                fields.append(fieldWasQuoted ? field : Self.trimmingBlanks(field[...]))
                field = ""
                fieldWasQuoted = false
            } else {
                field.append(character)
            }
        }
        fields.append(fieldWasQuoted ? field : Self.trimmingBlanks(field[...]))
        return fields
    }

    /// `text` without the spaces and tabs around it.
    private static func trimmingBlanks(_ text: Substring) -> String {
        let isBlank: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = text.firstIndex(where: { !isBlank($0) }), let last = text.lastIndex(where: { !isBlank($0) }) else {
            return ""
        }
        return String(text[first...last])
    }
}
