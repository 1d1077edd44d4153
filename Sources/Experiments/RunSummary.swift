import Foundation

/// The rows of a run's `summary.csv`, read by column name: what the report and the finished-run check use.
///
/// Columns are looked up by header, so runs with the weight EMA's extra columns read the same;
/// an empty evaluation cell (an epoch without evaluation) reads as nil, never as zero.
public struct RunSummary: Sendable, Equatable {
    /// One epoch's row.
    public struct Row: Sendable, Equatable {
        public var epoch: Int
        public var trainLoss: Double?
        /// Top-1 accuracy in percent, when the epoch ended with an evaluation.
        public var evalTop1: Double?
        /// Top-5 accuracy in percent, when the epoch ended with an evaluation.
        public var evalTop5: Double?
        /// The learning rate of the epoch's last step.
        public var learningRate: Double?
        /// Seconds of training since the run began, resumed sessions included.
        public var wallSeconds: Double?

        public init(epoch: Int, trainLoss: Double? = nil, evalTop1: Double? = nil, evalTop5: Double? = nil,
                    learningRate: Double? = nil, wallSeconds: Double? = nil) {
            self.epoch = epoch
            self.trainLoss = trainLoss
            self.evalTop1 = evalTop1
            self.evalTop5 = evalTop5
            self.learningRate = learningRate
            self.wallSeconds = wallSeconds
        }
    }

    public var rows: [Row]

    public init(rows: [Row]) {
        self.rows = rows
    }

    /// The summary in `url`, or nil when the file is missing or has no `epoch` column.
    public init?(contentsOf url: URL) {
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return nil }
        self.init(csv: text)
    }

    /// The summary in the CSV `text`; nil without an `epoch` column. Rows whose epoch is not a number are skipped.
    public init?(csv text: String) {
        let lines = text.split(whereSeparator: \.isNewline)
        guard let header = lines.first?.split(separator: ",", omittingEmptySubsequences: false).map(String.init),
              let epochColumn = header.firstIndex(of: "epoch") else { return nil }
        func column(_ name: String) -> Int? { header.firstIndex(of: name) }
        let columns = (loss: column("train_loss"), top1: column("eval_top1"), top5: column("eval_top5"),
                       lr: column("lr"), wall: column("wall_seconds"))
        rows = lines.dropFirst().compactMap { line in
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            func value(_ index: Int?) -> Double? {
                guard let index, index < fields.count else { return nil }
                return Double(fields[index].trimmingCharacters(in: .whitespaces))
            }
            guard epochColumn < fields.count, let epoch = Int(fields[epochColumn]) else { return nil }
            return Row(epoch: epoch, trainLoss: value(columns.loss), evalTop1: value(columns.top1),
                       evalTop5: value(columns.top5), learningRate: value(columns.lr), wallSeconds: value(columns.wall))
        }
    }

    /// The last epoch's row of a run of `epochs` epochs, when every epoch is there and it ends with an evaluation
    /// (a run of 0 epochs: its one row, the evaluation of the weights it loaded).
    public func finalRow(epochs: Int) -> Row? {
        let expected = max(epochs, 1)
        guard rows.count == expected, let last = rows.last, last.epoch == expected - 1, last.evalTop1 != nil else {
            return nil
        }
        return last
    }
}
