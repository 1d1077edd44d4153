import Testing
import TestSupport

/// Batch norm (training, inference, running statistics) and group norm against PyTorch.
struct NormalizationReferenceTests {
    @Test func batchNormTrainingMatchesPyTorch() throws {
        let recorded = try ReferenceFixture.named("batch_norm_training")
        let result = Reference.batchNormTraining(input: try recorded.tensor("input"), scale: try recorded.tensor("scale"),
                                                 shift: try recorded.tensor("shift"),
                                                 epsilon: try recorded.number("epsilon"))
        expectClose(result.output, try recorded.tensor("output"), tolerance: .float64, "output")
        expectClose(result.mean, try recorded.tensor("mean"), tolerance: .float64, "mean")
        expectClose(result.biasedVariance, try recorded.tensor("biased_variance"), tolerance: .float64, "variance")
    }

    @Test func runningStatisticsTrackTheUnbiasedVarianceAsPyTorch() throws {
        let recorded = try ReferenceFixture.named("batch_norm_training")
        let input = try recorded.tensor("input")
        let result = Reference.batchNormTraining(input: input, scale: nil, shift: nil,
                                                 epsilon: try recorded.number("epsilon"))
        let updated = Reference.updatedRunningStatistics(
            runningMean: try recorded.tensor("running_mean"), runningVariance: try recorded.tensor("running_variance"),
            batchMean: result.mean, batchBiasedVariance: result.biasedVariance,
            count: input.shape[0] * input.shape[2] * input.shape[3], momentum: try recorded.number("momentum"))
        expectClose(updated.mean, try recorded.tensor("updated_running_mean"), tolerance: .float64, "mean")
        expectClose(updated.variance, try recorded.tensor("updated_running_variance"), tolerance: .float64, "variance")
    }

    @Test func batchNormInferenceMatchesPyTorch() throws {
        let recorded = try ReferenceFixture.named("batch_norm_inference")
        let output = Reference.batchNormInference(
            input: try recorded.tensor("input"), scale: try recorded.tensor("scale"), shift: try recorded.tensor("shift"),
            mean: try recorded.tensor("mean"), variance: try recorded.tensor("variance"),
            epsilon: try recorded.number("epsilon"))
        expectClose(output, try recorded.tensor("output"), tolerance: .float64)
    }

    @Test func groupNormMatchesPyTorch() throws {
        let recorded = try ReferenceFixture.named("group_norm")
        let output = Reference.groupNorm(input: try recorded.tensor("input"), groups: try recorded.integers("groups")[0],
                                         scale: try recorded.tensor("scale"), shift: try recorded.tensor("shift"),
                                         epsilon: try recorded.number("epsilon"))
        expectClose(output, try recorded.tensor("output"), tolerance: .float64)
    }

    @Test func groupNormWithOneChannelPerGroupIsInstanceNorm() {
        let input = ReferenceTensor(shape: [1, 2, 1, 2], values: [1, 3, 10, 30])
        let output = Reference.groupNorm(input: input, groups: 2, scale: nil, shift: nil, epsilon: 0)
        expectClose(output.values, [-1, 1, -1, 1], tolerance: .float64)
    }
}
