import Foundation
import Glibc

/// A folder of data sets unpacked from archives, each unpacked once and never seen half-written.
///
/// Layout: `directory/<name>/` holds the archive's contents. Unpacking goes to
/// a temporary sibling (`directory/.<name>.partial-<pid>-<UUID>`) that is renamed
/// to `<name>` only once `tar` has finished, and `rename` is atomic, so a crash
/// or a killed test run leaves at worst a stray `.partial-` folder, never a
/// half-filled `<name>` that later runs would trust; the next call removes
/// partial folders whose process no longer runs. Two processes unpacking at
/// once both succeed: the first rename wins, the loser discards its copy.
/// Unpacking runs `/usr/bin/tar -xzf`, which every Linux that builds Hone has.
public struct DatasetCache: Equatable, Sendable {
    /// The folder holding the unpacked data sets.
    public let directory: URL

    /// The tar program used to unpack.
    public static let tarExecutable = URL(fileURLWithPath: "/usr/bin/tar")

    /// `$XDG_CACHE_HOME/hone/datasets`, or `~/.cache/hone/datasets` when that variable is unset.
    public static var defaultDirectory: URL {
        let environment = ProcessInfo.processInfo.environment
        let cacheHome = environment["XDG_CACHE_HOME"].flatMap { $0.isEmpty ? nil : URL(fileURLWithPath: $0, isDirectory: true) }
            ?? FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache", isDirectory: true)
        return cacheHome.appendingPathComponent("hone/datasets", isDirectory: true)
    }

    /// A cache in `directory` (created when first needed).
    public init(directory: URL = DatasetCache.defaultDirectory) {
        self.directory = directory
    }

    /// The folder where `name` is (or would be) unpacked.
    public func folder(named name: String) -> URL {
        directory.appendingPathComponent(name, isDirectory: true)
    }

    /// The folder holding the contents of the gzip-compressed tar `archive`, unpacking it first if it is not there yet.
    ///
    /// - Parameters:
    ///   - archive: a `.tar.gz` file.
    ///   - name: the folder name inside the cache, such as `cifar10-jpeg`.
    /// - Throws: `DatasetCacheError` naming the archive or folder when the
    ///   archive is missing, the cache cannot be written, or `tar` fails.
    public func unpacked(archive: URL, name: String) throws(DatasetCacheError) -> URL {
        precondition(
            !name.isEmpty && !name.contains("/") && !name.hasPrefix("."),
            "a cache folder name is one visible path component, got \"\(name)\""
        )
        let destination = folder(named: name)
        removeAbandonedPartials(of: name)
        if isDirectory(destination) {
            return destination
        }
        guard FileManager.default.fileExists(atPath: archive.path) else {
            throw .missingArchive(path: archive.path)
        }
        let partial = directory.appendingPathComponent(
            Self.partialPrefix(of: name) + "\(getpid())-\(UUID().uuidString)", isDirectory: true
        )
        do {
            try FileManager.default.createDirectory(at: partial, withIntermediateDirectories: true)
        } catch {
            throw .cannotWrite(path: partial.path, reason: error.localizedDescription)
        }
        do throws(DatasetCacheError) {
            try runTar(archive: archive, into: partial)
        } catch {
            try? FileManager.default.removeItem(at: partial)
            throw error
        }
        if rename(partial.path, destination.path) != 0 {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: partial)
            guard isDirectory(destination) else {
                throw .cannotWrite(path: destination.path, reason: reason)
            }
        }
        return destination
    }

    /// Runs `tar -xzf archive -C folder` and throws with tar's own message when it fails.
    private func runTar(archive: URL, into folder: URL) throws(DatasetCacheError) {
        let process = Process()
        process.executableURL = Self.tarExecutable
        process.arguments = ["-xzf", archive.path, "-C", folder.path]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw .tarFailed(
                archive: archive.path, status: -1,
                message: "could not start \(Self.tarExecutable.path): \(error.localizedDescription)"
            )
        }
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationReason == .exit, process.terminationStatus == 0 else {
            throw .tarFailed(
                archive: archive.path, status: process.terminationStatus,
                message: message.trimmingCharacters(in: .whitespacesAndNewlines)
            )
        }
    }

    /// The name every partial folder of `name` starts with; the owning process id follows it.
    private static func partialPrefix(of name: String) -> String {
        ".\(name).partial-"
    }

    /// Deletes partial folders of `name` left by processes that have ended (crashed or killed while unpacking).
    ///
    /// A folder whose process still runs is unpacking right now and is left alone.
    private func removeAbandonedPartials(of name: String) {
        let prefix = Self.partialPrefix(of: name)
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: directory.path) else { return }
        for entry in entries where entry.hasPrefix(prefix) {
            guard let owner = entry.dropFirst(prefix.count).split(separator: "-").first.flatMap({ pid_t($0) }) else { continue }
            let ownerHasEnded = kill(owner, 0) != 0 && errno == ESRCH
            if ownerHasEnded {
                try? FileManager.default.removeItem(at: directory.appendingPathComponent(entry))
            }
        }
    }

    /// Whether a folder exists at `url`.
    private func isDirectory(_ url: URL) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) && isDirectory.boolValue
    }
}
