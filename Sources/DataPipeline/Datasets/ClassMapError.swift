/// Why a class-map file could not be read.
///
/// Every case names the file and, for a bad line, its one-based number and what
/// was expected there.
public enum ClassMapError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No file exists at `path`.
    case missingFile(path: String)
    /// The file exists but could not be read.
    case unreadableFile(path: String, reason: String)
    /// The file is not UTF-8 text.
    case notUTF8(path: String)
    /// The file holds no class names.
    case empty(path: String)
    /// A blank line sits between class names, which would shift every later id.
    case emptyLine(path: String, line: Int)
    /// In a file of `name id` pairs, a line is not such a pair.
    case malformedPair(path: String, line: Int, text: String)
    /// An id is not below the number of classes, so the ids cannot cover `0..<count`.
    case idOutOfRange(path: String, line: Int, id: Int, classCount: Int)
    /// Two lines give the same id.
    case duplicateID(path: String, line: Int, id: Int, firstName: String)
    /// Two lines give the same class name.
    case duplicateName(path: String, name: String, firstLine: Int, line: Int)

    /// A sentence naming the file, the line and what was expected.
    public var description: String {
        switch self {
        case let .missingFile(path):
            return "\(path): class-map file not found"
        case let .unreadableFile(path, reason):
            return "\(path): class-map file could not be read: \(reason)"
        case let .notUTF8(path):
            return "\(path): class-map file is not UTF-8 text"
        case let .empty(path):
            return "\(path): class-map file lists no classes: expected one class name per line or `name id` pairs"
        case let .emptyLine(path, line):
            return "\(path):\(line): empty line in a class map: expected a class name "
                + "(ids are line numbers, so a blank line would shift them)"
        case let .malformedPair(path, line, text):
            return "\(path):\(line): expected `name id` with a non-negative integer id, as on the first line, found \"\(text)\""
        case let .idOutOfRange(path, line, id, classCount):
            return "\(path):\(line): class id \(id) is out of range: the \(classCount) classes need ids 0..<\(classCount), each once"
        case let .duplicateID(path, line, id, firstName):
            return "\(path):\(line): class id \(id) is already given to \"\(firstName)\": expected each id once"
        case let .duplicateName(path, name, firstLine, line):
            return "\(path):\(line): class \"\(name)\" is already listed on line \(firstLine): expected each name once"
        }
    }
}
