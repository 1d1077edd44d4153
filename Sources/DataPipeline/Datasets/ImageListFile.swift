import Foundation

/// Indexes images named in a text file, one image per line with its label or labels, paths relative to a root.
///
/// Syntax, line by line (UTF-8, `\n` or `\r\n` line ends, blank lines skipped):
/// - CSV: `path,label`. Fields follow RFC 4180: a field in double quotes may hold
///   commas, and `""` inside it is one quote; spaces around unquoted fields are
///   ignored; a quoted field cannot span lines. Every field after the path holds
///   labels separated by spaces, so for multi-label data `a.jpg,3 7 9`,
///   `a.jpg,"3 7 9"` and `a.jpg,3,7,9` are the same line.
/// - White space: `path label` or, multi-label, `path 3 7 9`, fields separated
///   by spaces or tabs, so a path cannot contain spaces (use CSV for those).
/// - `.automatic` picks CSV when the first non-blank line contains a comma.
/// - A label is a class index (`7`) or, when the options give class names, one
///   of those names (`cat`). Single-label files need exactly one label per line,
///   multi-label files one or more, each at most once per line.
/// - Header: with `.detect` (the default), the first non-blank line of a CSV file
///   is skipped as a header when its labels do not parse (`path,label`,
///   `filename,class`); white-space files never have one. Declare `.present` or
///   `.absent` to be explicit.
/// - Paths are relative to the root; an absolute path (starting with `/`) is
///   used as it is.
/// - Existence: by default every image is checked at load time, so a missing file
///   stops the run before its first epoch, not in epoch 37.
public enum ImageListFile {
    /// How fields are separated.
    public enum Syntax: Equatable, Sendable {
        /// CSV when the first non-blank line has a comma, otherwise white space.
        case automatic
        /// Comma-separated, with RFC 4180 quoting.
        case csv
        /// Separated by spaces or tabs.
        case whitespace
    }

    /// How many labels each line carries.
    public enum Labeling: Equatable, Sendable {
        /// Exactly one label per image.
        case singleLabel
        /// One or more labels per image.
        case multiLabel
    }

    /// How labels are spelled and how many classes there are.
    public enum Classes: Equatable, Sendable {
        /// Labels are class indices; `names` (when given) names the classes and
        /// fixes their count, otherwise the classes are `0...largest label`, named by their index.
        case indexed(names: [String]?)
        /// Labels are class names looked up in the map (its ids become the labels).
        case named(ClassMap)
    }

    /// Whether the first line of a CSV file is a header.
    public enum Header: Equatable, Sendable {
        /// A header when its labels do not parse; white-space files never have one.
        case detect
        /// The first non-blank line is a header and is skipped.
        case present
        /// Every line is data.
        case absent
    }

    /// When the named image files are checked.
    public enum ExistenceCheck: Equatable, Sendable {
        /// Every image file must exist when the list is loaded.
        case atLoad
        /// Files are not checked; a missing one fails when the loader reads it.
        case deferred
    }

    /// How to read a list file.
    public struct Options: Equatable, Sendable {
        /// How fields are separated.
        public var syntax: Syntax
        /// How many labels each line carries.
        public var labeling: Labeling
        /// How labels are spelled and how many classes there are.
        public var classes: Classes
        /// Whether the first line of a CSV file is a header.
        public var header: Header
        /// When image files are checked.
        public var existenceCheck: ExistenceCheck

        /// Options for the common case: single labels given as class indices, syntax detected, files checked at load.
        public init(
            syntax: Syntax = .automatic,
            labeling: Labeling = .singleLabel,
            classes: Classes = .indexed(names: nil),
            header: Header = .detect,
            existenceCheck: ExistenceCheck = .atLoad
        ) {
            self.syntax = syntax
            self.labeling = labeling
            self.classes = classes
            self.header = header
            self.existenceCheck = existenceCheck
        }
    }

    /// Reads the list file at `listFile` and indexes its images under `root`.
    ///
    /// - Throws: `ImageListFileError` naming the list file and, for a bad or
    ///   missing entry, its one-based line number and what was expected.
    public static func index(listFile: URL, root: URL, options: Options = Options()) throws(ImageListFileError) -> SampleIndex {
        let path = listFile.path
        guard FileManager.default.fileExists(atPath: path) else {
            throw .missingListFile(path: path)
        }
        let data: Data
        do {
            data = try Data(contentsOf: listFile)
        } catch {
            throw .unreadableListFile(path: path, reason: error.localizedDescription)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw .notUTF8(path: path)
        }
        return try index(parsing: text, listFilePath: path, root: root, options: options)
    }

    /// Indexes the lines of a list file already in memory; `listFilePath` is used in messages.
    ///
    /// - Throws: `ImageListFileError` as `index(listFile:root:options:)` does.
    public static func index(parsing text: String, listFilePath: String, root: URL, options: Options = Options())
        throws(ImageListFileError) -> SampleIndex
    {
        var parser = ImageListLineParser(listFilePath: listFilePath, options: options)
        var paths = PackedStrings()
        var lineNumbers: [Int] = []
        var labels: [Int32] = []
        var ends: [Int] = []
        var lineNumber = 0
        for line in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            lineNumber += 1
            guard let entry = try parser.parse(line, lineNumber: lineNumber) else { continue }
            paths.append(entry.path)
            lineNumbers.append(lineNumber)
            labels.append(contentsOf: entry.labels)
            ends.append(labels.count)
        }
        guard !paths.isEmpty else {
            throw .noEntries(path: listFilePath)
        }
        if options.existenceCheck == .atLoad {
            try checkFilesExist(paths: paths, lineNumbers: lineNumbers, root: root, listFilePath: listFilePath)
        }
        let classNames: [String]
        switch options.classes {
        case let .indexed(names?):
            classNames = names
        case .indexed(nil):
            let classCount = Int(labels.max() ?? -1) + 1
            classNames = (0..<classCount).map(String.init)
        case let .named(map):
            classNames = map.classNames
        }
        let targets = options.labeling == .singleLabel
            ? SampleTargets(singleLabels: labels)
            : SampleTargets(multiLabelValues: labels, ends: ends)
        return SampleIndex(storage: .files(root: root, paths: paths), targets: targets, classNames: classNames)
    }

    /// Throws for the first entry whose image is not a regular file, counting the others that are missing too.
    private static func checkFilesExist(paths: PackedStrings, lineNumbers: [Int], root: URL, listFilePath: String)
        throws(ImageListFileError)
    {
        var firstMissing: (line: Int, path: String)?
        var missingCount = 0
        let rootPath = root.path
        for (position, path) in paths.enumerated() {
            let resolved = path.hasPrefix("/") ? path : rootPath + "/" + path
            guard case .success(.regularFile) = FileSystem.kind(atPath: resolved) else {
                missingCount += 1
                if firstMissing == nil {
                    firstMissing = (lineNumbers[position], resolved)
                }
                continue
            }
        }
        if let firstMissing {
            throw .missingImage(
                listFile: listFilePath, line: firstMissing.line, imagePath: firstMissing.path, missingCount: missingCount
            )
        }
    }
}
