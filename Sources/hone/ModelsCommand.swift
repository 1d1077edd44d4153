import ArgumentParser
import Foundation
import Layers
import Models

/// `hone models`: every registry id with its variant, parameter count and multiply-accumulates at a size.
struct ModelsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "models",
        abstract: "List the models Hone can build: variant, parameters and GMACs per image at a given size."
    )

    @Option(help: "Square input size in pixels for the GMAC column.") var size = 224
    @Option(help: "Classifier outputs.") var classes = 1000
    @Option(help: "Input image channels (1 or 3).") var inputChannels = 3
    @OptionGroup var backend: BackendOptions

    func validate() throws {
        guard size >= 1 else { throw ValidationError("--size must be at least 1, got \(size)") }
        guard classes >= 1 else { throw ValidationError("--classes must be at least 1, got \(classes)") }
        guard inputChannels >= 1 else {
            throw ValidationError("--input-channels must be at least 1, got \(inputChannels)")
        }
    }

    func run() throws {
        _ = backend.makeBackend()
        let header = ["id", "stem", "downsample", "stride in", "parameters", "GMACs @\(size)"]
        var rows: [[String]] = []
        for id in ModelRegistry.ids {
            guard let configuration = ModelRegistry.configuration(id: id, classes: classes,
                                                                  inputChannels: inputChannels) else { continue }
            let model = ModelRegistry.makeModel(configuration, seed: 0)
            let stride = configuration.depth.block == .bottleneck ? configuration.stridePlacement.rawValue : "-"
            rows.append([id, configuration.stem.rawValue, configuration.downsample.rawValue, stride,
                         Self.groupingThousands(model.parameterCount),
                         String(format: "%.2f", Double(model.multiplyAccumulates(imageSize: size)) / 1e9)])
        }
        print(Self.table(header: header, rows: rows, rightAligned: [4, 5]))
    }

    /// `1234567` as `1,234,567`.
    static func groupingThousands(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var grouped = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { grouped.append(",") }
            grouped.append(digit)
        }
        return value < 0 ? "-" + grouped : grouped
    }

    /// Columns padded to their widest cell, two spaces apart; `rightAligned` columns are numbers.
    static func table(header: [String], rows: [[String]], rightAligned: Set<Int>) -> String {
        let all = [header] + rows
        let widths = header.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { column, cell in
                let padding = String(repeating: " ", count: widths[column] - cell.count)
                return rightAligned.contains(column) ? padding + cell : cell + padding
            }.joined(separator: "  ")
        }
        let rule = widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")
        return ([line(header), rule] + rows.map(line)).joined(separator: "\n")
    }
}
