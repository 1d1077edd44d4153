import Foundation

/// Indexes a folder laid out as `root/<class>/<image>`, torchvision's `ImageFolder` convention.
///
/// Semantics, matching torchvision's `find_classes` and `make_dataset` except where noted:
/// - classes are the sub-folders of `root` (links to folders count), sorted by
///   name byte-wise in UTF-8, which is code-point order, as Python's `sorted`
///   orders `str`; class `i` is the `i`-th name, unless a class map fixes the ids;
/// - inside a class folder, every nested folder is walked too (links followed);
///   the folders are visited in byte-wise order of their paths and the files of
///   each folder in byte-wise order of their names, exactly `sorted(os.walk(...))`
///   then `sorted(fnames)`, so the sample order is the same on every machine;
/// - a file is an image when its name ends with one of the extensions
///   (torchvision's `IMG_EXTENSIONS` by default), ignoring case;
/// - unlike torchvision, names starting with a dot (hidden files and folders,
///   such as `.ipynb_checkpoints` or macOS's `._x.jpg`) are skipped at every
///   level, a link to an image that does not resolve is an error rather than a
///   failure in the middle of training, a link cycle is an error rather than an
///   endless walk, and anything that is not a regular file (FIFO, socket) is skipped;
/// - a class folder with no image is an error naming it, unless empty classes
///   are allowed; then the class keeps its id and `classesWithoutSamples()`
///   lists it so the caller can log it.
///
/// Samples are stored as paths relative to `root` (`cat/sub/001.jpg`).
public enum ImageFolder {
    /// How to index the folder.
    public struct Options: Equatable, Sendable {
        /// What to do with a class that has no image.
        public var emptyClasses: EmptyClassPolicy
        /// Fixed class ids; `nil` numbers the class folders in sorted order.
        public var classMap: ClassMap?
        /// The file-name extensions (lowercase, with the dot) that mark images.
        public var extensions: [String]

        /// Options with torchvision's defaults: empty classes rejected, ids from sorted folder names.
        public init(
            emptyClasses: EmptyClassPolicy = .reject,
            classMap: ClassMap? = nil,
            extensions: [String] = ImageFileExtensions.torchvision
        ) {
            self.emptyClasses = emptyClasses
            self.classMap = classMap
            self.extensions = extensions
        }
    }

    /// What indexing does with a class that has no image (an empty folder, or a class-map entry with no folder).
    public enum EmptyClassPolicy: Equatable, Sendable {
        /// Throw, naming the class folders: the usual cause is a broken copy of the data.
        case reject
        /// Keep the class with no samples; `SampleIndex.classesWithoutSamples()` lists it.
        case allow
    }

    /// Indexes the images under `root`.
    ///
    /// - Returns: a single-label index whose paths are relative to `root`.
    /// - Throws: `ImageFolderError` naming the folder, link or class at fault.
    public static func index(root: URL, options: Options = Options()) throws(ImageFolderError) -> SampleIndex {
        let rootPath = root.path
        switch FileSystem.kind(atPath: rootPath) {
        case .success(.directory):
            break
        case .success:
            throw .notADirectory(path: rootPath)
        case let .failure(failure):
            throw failure.code == ENOENT ? .missingRoot(path: rootPath) : .unreadableFolder(path: rootPath, reason: failure.reason)
        }
        let classFolders = try entries(of: rootPath)
            .filter { $0.kind == .directory && !$0.isHidden }
            .map(\.name)
            .sorted { $0.precedesByteWise($1) }
        guard !classFolders.isEmpty else {
            throw .noClassFolders(root: rootPath)
        }
        let classMap = options.classMap ?? ClassMap(classNames: classFolders, source: "sorted class folders of \(rootPath)")
        var labels: [Int32] = []
        var paths = PackedStrings()
        var emptyFolders: [String] = []
        for folder in classFolders {
            guard let id = classMap.id(of: folder) else {
                throw .classNotInMap(folder: rootPath + "/" + folder, classMapSource: classMap.source)
            }
            let files = try imageFiles(inClassFolder: folder, root: rootPath, extensions: options.extensions)
            if files.isEmpty {
                emptyFolders.append(rootPath + "/" + folder)
            }
            paths.reserveCapacity(strings: files.count, averageLength: folder.utf8.count + 16)
            for file in files {
                paths.append(file)
            }
            labels.append(contentsOf: repeatElement(id, count: files.count))
        }
        if options.emptyClasses == .reject {
            guard emptyFolders.isEmpty else {
                throw .emptyClassFolders(paths: emptyFolders, extensions: options.extensions)
            }
            let present = Set(classFolders.map { Array($0.utf8) })
            let absent = classMap.classNames.filter { !present.contains(Array($0.utf8)) }
            guard absent.isEmpty else {
                throw .classFoldersMissing(root: rootPath, classNames: absent, classMapSource: classMap.source)
            }
        }
        return SampleIndex(
            storage: .files(root: root, paths: paths),
            targets: SampleTargets(singleLabels: labels),
            classNames: classMap.classNames
        )
    }

    /// The image files under one class folder, as paths relative to `root`, in torchvision's walk order.
    private static func imageFiles(inClassFolder folder: String, root: String, extensions: [String]) throws(ImageFolderError)
        -> [String]
    {
        var folders: [(relativePath: String, files: [String])] = []
        var ancestors: [FileIdentity] = []
        try walk(relativePath: folder, root: root, extensions: extensions, ancestors: &ancestors, into: &folders)
        folders.sort { $0.relativePath.precedesByteWise($1.relativePath) }
        return folders.flatMap { folder in folder.files.map { folder.relativePath + "/" + $0 } }
    }

    /// Lists the images of one folder and recurses into its sub-folders, refusing to enter a folder twice on one path.
    private static func walk(
        relativePath: String, root: String, extensions: [String],
        ancestors: inout [FileIdentity], into folders: inout [(relativePath: String, files: [String])]
    ) throws(ImageFolderError) {
        let path = root + "/" + relativePath
        let identity: FileIdentity
        switch FileSystem.identity(atPath: path) {
        case let .success(found): identity = found
        case let .failure(failure): throw .unreadableFolder(path: path, reason: failure.reason)
        }
        guard !ancestors.contains(identity) else {
            throw .symbolicLinkCycle(path: path)
        }
        ancestors.append(identity)
        defer { ancestors.removeLast() }

        let visible = try entries(of: path).filter { !$0.isHidden }
        var files: [String] = []
        for entry in visible where entry.kind != .directory && ImageFileExtensions.matches(entry.name, extensions: extensions) {
            switch entry.kind {
            case .regularFile: files.append(entry.name)
            case .brokenLink: throw .brokenLink(path: path + "/" + entry.name)
            case .directory, .other: continue
            }
        }
        folders.append((relativePath, files.sorted { $0.precedesByteWise($1) }))
        for entry in visible where entry.kind == .directory {
            try walk(
                relativePath: relativePath + "/" + entry.name, root: root, extensions: extensions,
                ancestors: &ancestors, into: &folders
            )
        }
    }

    /// The entries of the folder at `path`, or an error naming it.
    private static func entries(of path: String) throws(ImageFolderError) -> [FileSystemEntry] {
        switch FileSystem.entries(ofDirectoryAtPath: path) {
        case let .success(entries): return entries
        case let .failure(failure): throw .unreadableFolder(path: path, reason: failure.reason)
        }
    }
}
