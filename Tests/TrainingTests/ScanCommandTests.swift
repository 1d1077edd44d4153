import Foundation
import Testing

/// `hone scan` as a user runs it: JSON lines per file then a summary, the text report, and the three exit statuses.
///
/// The images are DataPipelineTests' decoder fixtures, read from the source tree
/// (this target has no copy of them); each run scans two or three files, so the
/// suite costs a few process launches.
struct ScanCommandTests {
    /// The decoder fixtures in the DataPipelineTests source folder.
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("DataPipelineTests/Fixtures/images")

    /// What a finished `hone` run printed and returned.
    struct Outcome {
        let status: Int32
        let output: String
        let errors: String
    }

    @Test func jsonPrintsOneObjectPerFileInOrderThenTheSummaryAndExitsOneOnErrors() throws {
        let root = try temporaryFolder("scan-json")
        defer { try? FileManager.default.removeItem(at: root) }
        try copy("jpeg_orientation_6.jpg", to: root.appendingPathComponent("cat/a.jpg"))
        try copy("jpeg_truncated.jpg", to: root.appendingPathComponent("cat/b.jpg"))
        try copy("png_named_as.jpg", to: root.appendingPathComponent("dog/c.jpg"))

        let outcome = try runHone(["scan", root.path, "--json", "--threads", "2"])

        #expect(outcome.status == 1, "a truncated file is an error")
        let lines = outcome.output.split(separator: "\n").map(String.init)
        try #require(lines.count == 4)
        let objects = try lines.map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
        #expect(objects.prefix(3).map { ($0["path"] as? String).map { URL(fileURLWithPath: $0).lastPathComponent } }
                == ["a.jpg", "b.jpg", "c.jpg"])
        #expect(objects.prefix(3).map { $0["status"] as? String } == ["ok", "error", "ok"])
        #expect(objects[0]["orientation"] as? Int == 6 && objects[0]["rotated"] as? Bool == true)
        #expect(objects[0]["width"] as? Int == 17 && objects[0]["height"] as? Int == 11)
        #expect(objects[1]["category"] as? String == "truncated")
        #expect(objects[2]["format"] as? String == "png" && objects[2]["wrongExtension"] as? Bool == true)
        #expect(objects[3]["summary"] as? Bool == true)
        #expect(objects[3]["files"] as? Int == 3 && objects[3]["errors"] as? Int == 1)
        #expect((objects[3]["classes"] as? [[String: Any]])?.map { $0["count"] as? Int } == [2, 1])
    }

    @Test func textReportOfACleanListFileExitsZero() throws {
        let root = try temporaryFolder("scan-text")
        defer { try? FileManager.default.removeItem(at: root) }
        try copy("jpeg_cmyk.jpg", to: root.appendingPathComponent("images/a.jpg"))
        try copy("png_rgb.png", to: root.appendingPathComponent("images/b.png"))
        let list = root.appendingPathComponent("train.csv")
        try Data("a.jpg,0\nb.png,1\n".utf8).write(to: list)

        let outcome = try runHone(["scan", list.path, "--root", root.appendingPathComponent("images").path])

        #expect(outcome.status == 0)
        #expect(outcome.output.contains("Scanned 2 files"))
        #expect(outcome.output.contains("2 ok, 0 with errors"))
        #expect(outcome.output.contains("cmyk (CMYK or YCCK JPEG): 1"))
    }

    @Test func listNamingAMissingImageIsAnIndexErrorWithExitTwo() throws {
        let root = try temporaryFolder("scan-missing")
        defer { try? FileManager.default.removeItem(at: root) }
        try copy("jpeg_cmyk.jpg", to: root.appendingPathComponent("a.jpg"))
        let list = root.appendingPathComponent("val.txt")
        try Data("a.jpg 0\ngone.jpg 1\n".utf8).write(to: list)

        let outcome = try runHone(["scan", list.path, "--json"])

        #expect(outcome.status == 2)
        #expect(outcome.output.isEmpty)
        #expect(outcome.errors.contains("val.txt:2: image file \(root.path)/gone.jpg does not exist"))
    }

    /// Copies a fixture to `destination`, creating its folder.
    func copy(_ fixture: String, to destination: URL) throws {
        try FileManager.default.createDirectory(at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: Self.fixtures.appendingPathComponent(fixture), to: destination)
    }

    /// Runs the `hone` executable SwiftPM built next to this test bundle and collects its output.
    func runHone(_ arguments: [String]) throws -> Outcome {
        let bundle = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        let executable = URL(fileURLWithPath: bundle).deletingLastPathComponent().appendingPathComponent("hone")
        try #require(FileManager.default.isExecutableFile(atPath: executable.path),
                     "expected the hone executable at \(executable.path); `swift build` builds it")
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let printed = output.fileHandleForReading.readDataToEndOfFile()
        let complained = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Outcome(status: process.terminationStatus, output: String(decoding: printed, as: UTF8.self),
                       errors: String(decoding: complained, as: UTF8.self))
    }
}
