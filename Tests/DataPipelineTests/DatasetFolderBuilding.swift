import Foundation

/// Builds folder trees for data-set tests inside a `TemporaryDirectory`: files, folders and symbolic links by relative path.
extension TemporaryDirectory {
    /// Creates each file (with its parent folders), holding `contents`, and returns the root.
    @discardableResult
    func makeFiles(_ relativePaths: [String], contents: [UInt8] = [0xFF, 0xD8, 0xFF]) throws -> URL {
        for relativePath in relativePaths {
            let fileURL = url.appendingPathComponent(relativePath)
            try FileManager.default.createDirectory(at: fileURL.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(contents).write(to: fileURL)
        }
        return url
    }

    /// Creates each folder (with its parents).
    func makeFolders(_ relativePaths: [String]) throws {
        for relativePath in relativePaths {
            try FileManager.default.createDirectory(at: url.appendingPathComponent(relativePath), withIntermediateDirectories: true)
        }
    }

    /// Creates a symbolic link at `relativePath` whose target text is `target` (relative to the link's folder, or absolute).
    func makeLink(at relativePath: String, to target: String) throws {
        let linkURL = url.appendingPathComponent(relativePath)
        try FileManager.default.createDirectory(at: linkURL.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: linkURL.path, withDestinationPath: target)
    }

    /// Writes `text` as UTF-8 to `relativePath` and returns its URL.
    @discardableResult
    func writeText(_ text: String, to relativePath: String) throws -> URL {
        let fileURL = url.appendingPathComponent(relativePath)
        try FileManager.default.createDirectory(at: fileURL.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: fileURL)
        return fileURL
    }

    /// Runs `/usr/bin/tar` with `arguments` inside this folder and fails with tar's message when it does.
    func runTar(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/tar")
        process.arguments = arguments
        process.currentDirectoryURL = url
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw FixtureError(description: "tar \(arguments.joined(separator: " ")) failed: \(message)")
        }
    }
}
