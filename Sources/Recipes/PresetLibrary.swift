import Foundation

/// The recipes Hone ships (`recipes/*.yaml`), by name: what `hone recipes` lists and `--recipe rsb-a3` finds.
///
/// A preset's name is its file name without `.yaml`. The folder is found once, at the
/// edge: `$HONE_RECIPES` when set, else a `recipes` folder in the executable's folder or
/// one of its ancestors (a source checkout runs `.build/release/hone`), else `./recipes`.
public struct PresetLibrary: Sendable {
    public let folder: URL

    public init(folder: URL) {
        self.folder = folder
    }

    /// The library for this process, or nil when no recipes folder can be found.
    public static func locate(environment: [String: String] = ProcessInfo.processInfo.environment,
                              executable: URL = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath(),
                              currentDirectory: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
        -> PresetLibrary? {
        if let path = environment["HONE_RECIPES"], !path.isEmpty {
            return PresetLibrary(folder: URL(fileURLWithPath: path))
        }
        var directory = executable.deletingLastPathComponent().standardizedFileURL
        while true {
            let candidate = directory.appendingPathComponent("recipes")
            if isDirectory(candidate) { return PresetLibrary(folder: candidate) }
            let parent = directory.deletingLastPathComponent()
            if parent.path == directory.path { break }
            directory = parent
        }
        let local = currentDirectory.appendingPathComponent("recipes")
        return isDirectory(local) ? PresetLibrary(folder: local) : nil
    }

    /// Every preset's name, sorted.
    public var names: [String] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return entries.filter { $0.hasSuffix(".yaml") && !$0.hasPrefix(".") }
            .map { String($0.dropLast(".yaml".count)) }.sorted()
    }

    /// The file of the preset `name`, or nil when there is none.
    public func url(of name: String) -> URL? {
        let url = folder.appendingPathComponent(name + ".yaml")
        return FileManager.default.fileExists(atPath: url.path) ? url : nil
    }

    /// The preset name closest to a misspelt one, for "did you mean".
    public func suggestion(for name: String) -> String? {
        KeySuggestion.nearest(to: name, among: names)
    }

    /// The first line of the preset's header comment: what it is and where it comes from.
    public func summary(of name: String) -> String {
        guard let url = url(of: name), let text = try? String(contentsOf: url, encoding: .utf8) else { return "" }
        let firstComment = text.split(separator: "\n", omittingEmptySubsequences: false)
            .first { $0.hasPrefix("#") && $0.dropFirst().contains { !$0.isWhitespace } }
        return firstComment.map { $0.dropFirst().trimmingCharacters(in: .whitespaces) } ?? ""
    }

    private static func isDirectory(_ url: URL) -> Bool {
        var isFolder: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder) && isFolder.boolValue
    }
}
