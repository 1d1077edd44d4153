import Testing
import Training

/// Top-1, top-5, per-class accuracy and the confusion matrix from logits, counted by hand.
@Suite struct EvaluationMetricsTests {
    @Test func countsTopOneTopFiveAndConfusion() {
        var metrics = EvaluationMetrics(classes: 6)
        let logits: [Float] = [
            0.9, 0.1, 0, 0, 0, 0,
            0.1, 0.2, 0.3, 0.4, 0.5, 0.6,
            0, 0, 0, 0, 0, 1,
        ]
        metrics.add(logits: logits, labels: [0, 0, 2], meanLoss: 1.5)
        #expect(metrics.count == 3)
        #expect(metrics.top1Correct == 1)
        #expect(metrics.top5Correct == 2)
        #expect(metrics.confusion[0][0] == 1 && metrics.confusion[0][5] == 1 && metrics.confusion[2][5] == 1)
        #expect(metrics.perClassAccuracy[0] == 50 && metrics.perClassAccuracy[2] == 0)
        #expect(abs(metrics.loss - 1.5) < 1e-12)
    }

    @Test func tiesRankTheLowerClassFirst() {
        var metrics = EvaluationMetrics(classes: 3)
        metrics.add(logits: [1, 1, 1], labels: [0], meanLoss: 0)
        metrics.add(logits: [1, 1, 1], labels: [1], meanLoss: 0)
        #expect(metrics.top1Correct == 1)
        #expect(metrics.confusion[1][0] == 1)
    }
}
