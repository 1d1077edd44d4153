import Glibc

/// One entry of a directory listing, classified after following symbolic links.
///
/// The listing reads `readdir` directly and calls `stat` only for symbolic links
/// and file systems that do not report entry types, so indexing ImageNet's
/// 1.28 million files costs one system call per file at most, not the several
/// that `FileManager`'s attribute queries make.
struct FileSystemEntry: Equatable {
    /// What an entry is once symbolic links are followed.
    enum Kind: Equatable {
        /// A directory (or a link to one).
        case directory
        /// A regular file (or a link to one).
        case regularFile
        /// A symbolic link whose target does not exist or cannot be reached.
        case brokenLink
        /// Anything else (FIFO, socket, device); never read as an image.
        case other
    }

    /// The entry's name inside its directory.
    let name: String
    /// What it is.
    let kind: Kind

    /// Whether the name starts with a dot, the Unix convention for hidden files and folders.
    var isHidden: Bool { name.utf8.first == UInt8(ascii: ".") }
}

/// Why the file system refused a query: the path and the system's explanation.
struct FileSystemFailure: Error, Equatable {
    /// The path queried.
    let path: String
    /// `strerror`'s text for the failure.
    let reason: String
    /// The raw `errno`, so callers can tell a missing path from a permission problem.
    let code: Int32
}

/// The device and inode of a directory, which identify it whatever path reached it.
struct FileIdentity: Hashable {
    /// The device holding it.
    let device: UInt64
    /// Its inode number on that device.
    let inode: UInt64
}

/// Directory listings and file status through the C library.
enum FileSystem {
    /// What `path` is after following links, or the failure (`ENOENT` when nothing is there).
    static func kind(atPath path: String) -> Result<FileSystemEntry.Kind, FileSystemFailure> {
        status(atPath: path).map { kind(ofMode: $0.st_mode) }
    }

    /// The identity of whatever `path` names after following links.
    static func identity(atPath path: String) -> Result<FileIdentity, FileSystemFailure> {
        status(atPath: path).map { FileIdentity(device: UInt64($0.st_dev), inode: UInt64($0.st_ino)) }
    }

    /// The entries of the directory at `path`, except `.` and `..`, in the order the file system returns them.
    static func entries(ofDirectoryAtPath path: String) -> Result<[FileSystemEntry], FileSystemFailure> {
        guard let directory = opendir(path) else {
            return .failure(failure(path: path))
        }
        defer { closedir(directory) }
        var entries: [FileSystemEntry] = []
        while let entry = readdir(directory) {
            let name = withUnsafePointer(to: entry.pointee.d_name) { tuple in
                tuple.withMemoryRebound(to: CChar.self, capacity: MemoryLayout.size(ofValue: tuple.pointee)) {
                    String(cString: $0)
                }
            }
            if name == "." || name == ".." {
                continue
            }
            entries.append(FileSystemEntry(name: name, kind: kind(ofEntryType: entry.pointee.d_type, path: path + "/" + name)))
        }
        return .success(entries)
    }

    /// Classifies an entry from its `d_type`, asking `stat` only when the type is a link or unknown.
    private static func kind(ofEntryType type: UInt8, path: String) -> FileSystemEntry.Kind {
        switch Int32(type) {
        case Int32(DT_DIR): return .directory
        case Int32(DT_REG): return .regularFile
        case Int32(DT_LNK), Int32(DT_UNKNOWN):
            switch kind(atPath: path) {
            case let .success(kind): return kind
            case .failure: return .brokenLink
            }
        default: return .other
        }
    }

    /// Classifies a `stat` mode.
    private static func kind(ofMode mode: mode_t) -> FileSystemEntry.Kind {
        switch mode & S_IFMT {
        case S_IFDIR: return .directory
        case S_IFREG: return .regularFile
        default: return .other
        }
    }

    /// `stat` (following links) of `path`.
    private static func status(atPath path: String) -> Result<stat, FileSystemFailure> {
        var result = stat()
        guard stat(path, &result) == 0 else {
            return .failure(failure(path: path))
        }
        return .success(result)
    }

    /// The failure `errno` describes right now, for `path`.
    private static func failure(path: String) -> FileSystemFailure {
        let code = errno
        return FileSystemFailure(path: path, reason: String(cString: strerror(code)), code: code)
    }
}
