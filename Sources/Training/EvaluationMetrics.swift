/// Exact classification metrics over a whole evaluation set: top-1, top-5, loss, per-class accuracy, confusion.
///
/// Accumulated batch by batch from logits and labels, so every test image counts
/// exactly once. Ties in the logits rank the lower class index first, as
/// `torch.topk` does on CPU for equal values.
public struct EvaluationMetrics: Sendable, Equatable {
    public let classes: Int
    public private(set) var count = 0
    public private(set) var top1Correct = 0
    public private(set) var top5Correct = 0
    public private(set) var lossSum = 0.0
    /// `confusion[truth][prediction]`.
    public private(set) var confusion: [[Int]]

    public init(classes: Int) {
        self.classes = classes
        confusion = Array(repeating: Array(repeating: 0, count: classes), count: classes)
    }

    /// Metrics from their counts and sums: what adding up several ranks' shares of an evaluation set gives.
    init(classes: Int, count: Int, top1Correct: Int, top5Correct: Int, lossSum: Double, confusion: [[Int]]) {
        precondition(confusion.count == classes && confusion.allSatisfy { $0.count == classes },
                     "a \(classes)-class confusion matrix is \(classes) × \(classes)")
        self.classes = classes
        self.count = count
        self.top1Correct = top1Correct
        self.top5Correct = top5Correct
        self.lossSum = lossSum
        self.confusion = confusion
    }

    /// Adds a batch: row-major [N, classes] logits, the N labels and the batch's mean loss.
    public mutating func add(logits: [Float], labels: [Int32], meanLoss: Double) {
        precondition(logits.count == labels.count * classes, "\(logits.count) logits for \(labels.count) labels")
        let topCount = min(5, classes)
        for (row, label) in labels.enumerated() {
            let scores = logits[(row * classes)..<((row + 1) * classes)]
            let truth = Int(label)
            let truthScore = scores[row * classes + truth]
            var higher = 0
            var prediction = row * classes
            for index in scores.indices {
                let score = scores[index]
                if score > truthScore || (score == truthScore && index - row * classes < truth) { higher += 1 }
                if score > scores[prediction] { prediction = index }
            }
            if higher == 0 { top1Correct += 1 }
            if higher < topCount { top5Correct += 1 }
            confusion[truth][prediction - row * classes] += 1
        }
        count += labels.count
        lossSum += meanLoss * Double(labels.count)
    }

    /// Top-1 accuracy in percent.
    public var top1: Double { count == 0 ? 0 : 100 * Double(top1Correct) / Double(count) }
    /// Top-5 accuracy in percent (top-k with k = classes when there are fewer than 5).
    public var top5: Double { count == 0 ? 0 : 100 * Double(top5Correct) / Double(count) }
    /// Mean loss per image.
    public var loss: Double { count == 0 ? 0 : lossSum / Double(count) }

    /// Accuracy of each true class in percent (0 for a class with no images).
    public var perClassAccuracy: [Double] {
        confusion.enumerated().map { truth, row in
            let total = row.reduce(0, +)
            return total == 0 ? 0 : 100 * Double(row[truth]) / Double(total)
        }
    }
}
