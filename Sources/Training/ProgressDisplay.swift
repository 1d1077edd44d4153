import Foundation

/// Shows training progress: a live bar on a terminal, plain lines in a log or pipe.
///
/// The bar shows epoch, step, loss, learning rate, images/s and the epoch's ETA,
/// redrawn in place at most ten times a second; without a TTY a line is printed
/// every tenth of an epoch so logs stay readable.
public final class ProgressDisplay {
    private let isTerminal: Bool
    private var lastDraw = Date.distantPast
    private let output: (String) -> Void

    public init(isTerminal: Bool = isatty(STDOUT_FILENO) != 0, output: @escaping (String) -> Void = { print($0) }) {
        self.isTerminal = isTerminal
        self.output = output
    }

    /// One step done.
    public func step(epoch: Int, epochs: Int, batch: Int, batches: Int, loss: Double, learningRate: Double,
                     imagesPerSecond: Double, secondsPerBatch: Double) {
        let remaining = Double(batches - batch) * secondsPerBatch
        let text = String(format: "epoch %d/%d  step %d/%d  loss %.4f  lr %.5f  %.0f img/s  ETA %@",
                          epoch + 1, epochs, batch, batches, loss, learningRate, imagesPerSecond,
                          Self.duration(remaining))
        if isTerminal {
            guard Date().timeIntervalSince(lastDraw) >= 0.1 || batch == batches else { return }
            lastDraw = Date()
            let width = 24
            let filled = Int(Double(width) * Double(batch) / Double(max(batches, 1)))
            let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
            FileHandle.standardOutput.write(Data("\r\u{1B}[2K\(bar) \(text)".utf8))
        } else if batch == batches || batch % max(batches / 10, 1) == 0 {
            output(text)
        }
    }

    /// A line that must stay (epoch summaries, messages), ending any bar in progress.
    public func line(_ text: String) {
        if isTerminal { FileHandle.standardOutput.write(Data("\r\u{1B}[2K".utf8)) }
        output(text)
    }

    /// "1:05:03" / "4:07" / "12s".
    static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "?" }
        let total = Int(seconds.rounded())
        if total < 60 { return "\(total)s" }
        if total < 3600 { return String(format: "%d:%02d", total / 60, total % 60) }
        return String(format: "%d:%02d:%02d", total / 3600, total / 60 % 60, total % 60)
    }
}
