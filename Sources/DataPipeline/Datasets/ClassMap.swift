import Foundation

/// A fixed assignment of class names to class ids, so ids do not depend on which folders a split happens to contain.
///
/// Shapes: `classNames[id]` is the name of class `id`, ids `0..<count`.
/// A class-map file takes one of two forms, told apart by its first line:
/// - one class name per line, its id the zero-based line number (timm's `.txt`
///   class map: `{line.strip(): number}`), for example ImageNet's synset list;
/// - `name id` pairs, the id a non-negative integer after the last run of
///   spaces or tabs (names may contain spaces), every line in that form, the ids
///   covering `0..<count` exactly once each (timm's dict form, written as text).
///
/// The file is pairs when its first line has at least two fields and the last
/// is an integer. Leading and trailing white space of a line is ignored, as timm
/// strips it; lines end with `\n` or `\r\n`; trailing empty lines are ignored; an empty line among names is an
/// error (timm would silently give it an id that no folder can match).
public struct ClassMap: Equatable, Sendable {
    /// The name of each class, indexed by id.
    public let classNames: [String]
    /// Where the map came from, for messages: the file's path, or a note that it was given in code.
    public let source: String
    /// Each name's id, keyed by the name's UTF-8 bytes: names match byte for byte,
    /// as Python's dict keys do, not by Swift's canonical equivalence (which would
    /// merge a decomposed `e\u{301}` folder with a precomposed `\u{E9}` one).
    private let idsByName: [[UInt8]: Int32]

    /// A map from names given in code: `classNames[id]` names class `id`.
    ///
    /// - Precondition: names are unique.
    public init(classNames: [String], source: String = "class map given in code") {
        var idsByName: [[UInt8]: Int32] = [:]
        for (id, name) in classNames.enumerated() {
            let earlier = idsByName.updateValue(Int32(id), forKey: Array(name.utf8))
            precondition(earlier == nil, "class name \"\(name)\" appears twice in the class map")
        }
        self.classNames = classNames
        self.source = source
        self.idsByName = idsByName
    }

    /// Number of classes.
    public var count: Int { classNames.count }

    /// The id of the class called `name`, or `nil` when the map does not list it.
    public func id(of name: String) -> Int32? {
        idsByName[Array(name.utf8)]
    }

    /// Reads a class-map file in either form described on the type.
    ///
    /// - Throws: `ClassMapError` naming the file and, for a bad line, its number.
    public static func read(contentsOf url: URL) throws(ClassMapError) -> ClassMap {
        let path = url.path
        guard FileManager.default.fileExists(atPath: path) else {
            throw .missingFile(path: path)
        }
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw .unreadableFile(path: path, reason: error.localizedDescription)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw .notUTF8(path: path)
        }
        return try ClassMap(parsing: text, path: path)
    }

    /// Parses the text of a class-map file; `path` is used only in messages.
    ///
    /// - Throws: `ClassMapError` naming `path` and the line at fault.
    public init(parsing text: String, path: String) throws(ClassMapError) {
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }).map {
            $0.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        while lines.last?.isEmpty == true {
            lines.removeLast()
        }
        guard let firstLine = lines.first else {
            throw .empty(path: path)
        }
        let isPairs = Self.splitPair(firstLine) != nil
        var names = [String?](repeating: nil, count: isPairs ? lines.count : 0)
        var lineOfName: [[UInt8]: Int] = [:]
        for (offset, line) in lines.enumerated() {
            let lineNumber = offset + 1
            guard !line.isEmpty else {
                throw .emptyLine(path: path, line: lineNumber)
            }
            let name: String
            if isPairs {
                guard let (pairName, id) = Self.splitPair(line) else {
                    throw .malformedPair(path: path, line: lineNumber, text: line)
                }
                guard id < lines.count else {
                    throw .idOutOfRange(path: path, line: lineNumber, id: id, classCount: lines.count)
                }
                if let earlier = names[id] {
                    throw .duplicateID(path: path, line: lineNumber, id: id, firstName: earlier)
                }
                names[id] = pairName
                name = pairName
            } else {
                names.append(line)
                name = line
            }
            if let firstLine = lineOfName.updateValue(lineNumber, forKey: Array(name.utf8)) {
                throw .duplicateName(path: path, name: name, firstLine: firstLine, line: lineNumber)
            }
        }
        self.init(classNames: names.map { $0 ?? "" }, source: path)
    }

    /// Splits `name id` at the last run of white space, when the last field is a non-negative integer.
    private static func splitPair(_ line: String) -> (name: String, id: Int)? {
        guard let separator = line.lastIndex(where: { $0 == " " || $0 == "\t" }) else { return nil }
        let idText = line[line.index(after: separator)...]
        guard let id = Int(idText), id >= 0 else { return nil }
        let name = line[..<separator].trimmingCharacters(in: .whitespaces)
        return name.isEmpty ? nil : (name, id)
    }
}
