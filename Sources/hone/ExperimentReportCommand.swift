import ArgumentParser
import Experiments
import Foundation

/// `hone experiment report FILE`: reads the runs' summary.csv files and writes report.md and the plots.
struct ExperimentReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write <output>/report.md (printed too) and SVG plots (PNG too with rsvg-convert) from an experiment's finished runs.",
        discussion: "One row per cell: its overrides, finished seeds, final top-1 mean ± std and per seed, the paired "
            + "delta to the baseline with a 95% t-interval, top-5 and the median wall time. Missing runs show as "
            + "missing."
    )

    @Argument(help: "The experiment file (YAML).") var file: String
    @Option(help: "Folder of the runs, where the report goes too (default: runs/experiments/<name>).") var output: String?

    func run() throws {
        let plan = try ExperimentCommand.loadPlan(file)
        let output = ExperimentCommand.outputFolder(output, plan: plan)
        let report = ExperimentReport(plan: plan, output: output)
        let text: String
        do {
            text = try report.write(to: output)
        } catch {
            throw CommandFailure("cannot write the report into \(output.path): \(error.localizedDescription)")
        }
        print(text)
        let plots = report.plots().map { output.appendingPathComponent($0.fileName) }
        let pictures = plots.compactMap(Self.convertToPNG)
        let files = [output.appendingPathComponent("report.md")] + plots + pictures
        print("wrote " + files.map(\.path).joined(separator: ", "))
    }

    /// Writes a PNG beside `svg` with `rsvg-convert` when it is on the PATH; returns the PNG, or nil without one.
    static func convertToPNG(_ svg: URL) -> URL? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        guard let converter = path.split(separator: ":").map({ URL(fileURLWithPath: String($0)).appendingPathComponent("rsvg-convert") })
            .first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else { return nil }
        let png = svg.deletingPathExtension().appendingPathExtension("png")
        let process = Process()
        process.executableURL = converter
        process.arguments = [svg.path, "--output", png.path]
        guard (try? process.run()) != nil else { return nil }
        process.waitUntilExit()
        return process.terminationStatus == 0 ? png : nil
    }
}
