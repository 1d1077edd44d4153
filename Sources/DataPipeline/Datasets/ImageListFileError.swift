/// Why an image list file could not be indexed.
///
/// Every case names the list file and, for a bad entry, its one-based line
/// number and what was expected there.
public enum ImageListFileError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No file exists at `path`.
    case missingListFile(path: String)
    /// The list file exists but could not be read.
    case unreadableListFile(path: String, reason: String)
    /// The list file is not UTF-8 text.
    case notUTF8(path: String)
    /// The list file holds no entry (only blank lines, or only a header).
    case noEntries(path: String)
    /// A line does not have the shape `path label…`.
    case malformedLine(listFile: String, line: Int, expected: String, found: String)
    /// A label is not a valid class index or class name.
    case badLabel(listFile: String, line: Int, label: String, expected: String)
    /// A multi-label line gives the same label twice.
    case duplicateLabel(listFile: String, line: Int, label: String)
    /// The image a line names is not a file; `missingCount` counts all such lines.
    case missingImage(listFile: String, line: Int, imagePath: String, missingCount: Int)

    /// A sentence naming the list file, the line and what was expected.
    public var description: String {
        switch self {
        case let .missingListFile(path):
            return "\(path): list file not found"
        case let .unreadableListFile(path, reason):
            return "\(path): list file could not be read: \(reason)"
        case let .notUTF8(path):
            return "\(path): list file is not UTF-8 text"
        case let .noEntries(path):
            return "\(path): list file holds no entries: expected lines `path,label` or `path label`"
        case let .malformedLine(listFile, line, expected, found):
            return "\(listFile):\(line): expected \(expected), found \"\(found)\""
        case let .badLabel(listFile, line, label, expected):
            return "\(listFile):\(line): label \"\(label)\" is not valid: expected \(expected)"
        case let .duplicateLabel(listFile, line, label):
            return "\(listFile):\(line): label \"\(label)\" appears twice: expected each label of an image once"
        case let .missingImage(listFile, line, imagePath, missingCount):
            let otherCount = missingCount - 1
            let others = otherCount > 0 ? " (\(otherCount) more line\(otherCount == 1 ? "" : "s") name missing files too)" : ""
            return "\(listFile):\(line): image file \(imagePath) does not exist: expected a regular file\(others)"
        }
    }
}
