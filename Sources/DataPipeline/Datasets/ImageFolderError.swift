/// Why a folder of class sub-folders could not be indexed.
///
/// Every case names the folder, file or class at fault and what was expected.
public enum ImageFolderError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Nothing exists at the root path.
    case missingRoot(path: String)
    /// The root path is a file, not a folder.
    case notADirectory(path: String)
    /// A folder could not be listed or inspected (permissions, I/O error).
    case unreadableFolder(path: String, reason: String)
    /// The root holds no (visible) sub-folder to take classes from.
    case noClassFolders(root: String)
    /// These class folders hold no file with an image extension.
    case emptyClassFolders(paths: [String], extensions: [String])
    /// The class map lists classes that have no folder under the root.
    case classFoldersMissing(root: String, classNames: [String], classMapSource: String)
    /// A class folder's name is not in the class map.
    case classNotInMap(folder: String, classMapSource: String)
    /// A symbolic link with an image's name points nowhere.
    case brokenLink(path: String)
    /// Following links from this folder leads back to one of its ancestors.
    case symbolicLinkCycle(path: String)

    /// A sentence naming the path and what was expected.
    public var description: String {
        switch self {
        case let .missingRoot(path):
            return "\(path): image folder not found: expected a folder with one sub-folder per class"
        case let .notADirectory(path):
            return "\(path): expected a folder with one sub-folder per class, found a file"
        case let .unreadableFolder(path, reason):
            return "\(path): folder could not be read: \(reason)"
        case let .noClassFolders(root):
            return "\(root): found no class folder: expected sub-folders `<class>/<image>` (hidden folders are skipped)"
        case let .emptyClassFolders(paths, extensions):
            return "class folder\(paths.count == 1 ? "" : "s") with no image: \(paths.joined(separator: ", ")); "
                + "expected at least one file ending in \(extensions.joined(separator: " ")) (any case), "
                + "or allow empty classes"
        case let .classFoldersMissing(root, classNames, classMapSource):
            return "\(root): no folder for class\(classNames.count == 1 ? "" : "es") "
                + "\(classNames.joined(separator: ", ")) listed in \(classMapSource); "
                + "expected a sub-folder for each class, or allow empty classes"
        case let .classNotInMap(folder, classMapSource):
            return "\(folder): class folder is not listed in \(classMapSource): expected only folders the class map names"
        case let .brokenLink(path):
            return "\(path): symbolic link to an image points to nothing: expected an existing file"
        case let .symbolicLinkCycle(path):
            return "\(path): symbolic links lead back to a folder already being walked: expected a tree without link cycles"
        }
    }
}
