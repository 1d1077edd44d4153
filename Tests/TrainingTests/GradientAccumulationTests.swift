import Foundation
import Layers
import Models
import Optimizers
import Recipes
import TensorCore
import Testing
@testable import Training

/// Accumulating over N micro-batches is one step on the whole batch, up to rounding, when images do not interact.
@Suite struct GradientAccumulationTests {
    /// A step over `model` with plain SGD (or with momentum, Nesterov and weight decay) accumulating `steps` micro-batches.
    func makeStep(_ model: ResNet, accumulationSteps steps: Int, momentum: Bool = false) -> TrainingStep {
        let optimizer = SGD(parameters: model.namedParameters(), learningRate: 0.1, momentum: momentum ? 0.9 : 0,
                            nesterov: momentum, weightDecay: momentum ? 5e-4 : 0)
        return TrainingStep(model: model, optimizer: optimizer, precision: .f32, objective: CrossEntropyObjective(),
                            accumulationSteps: steps)
    }

    @Test(arguments: [2, 4])
    func microBatchesGiveTheWholeBatchsStepWithGroupNorm(steps: Int) {
        let whole = tinyResNet(groups: 4)
        let accumulated = tinyResNet(groups: 4)
        let before = parameterValues(whole)
        #expect(largestRelativeDifference(parameterValues(accumulated), before) == 0)
        let batch = randomBatch(count: 8, seed: 41)
        let wholeLoss = makeStep(whole, accumulationSteps: 1)(batch, learningRate: 0.5)
        let accumulatedLoss = makeStep(accumulated, accumulationSteps: steps)(batch, learningRate: 0.5)
        #expect(abs(accumulatedLoss - wholeLoss) <= 1e-5 * abs(wholeLoss))
        #expect(largestRelativeDifference(gradientValues(accumulated), gradientValues(whole)) <= 1e-5)
        #expect(largestRelativeDifference(parameterValues(accumulated), parameterValues(whole)) <= 1e-5)
        #expect(largestRelativeDifference(parameterValues(whole), before) > 1e-3, "the step should move the weights")
    }

    @Test func microBatchesFollowTheWholeBatchOverMomentumStepsWithSoftTargets() {
        let whole = tinyResNet(groups: 4, seed: 8)
        let accumulated = tinyResNet(groups: 4, seed: 8)
        let wholeStep = makeStep(whole, accumulationSteps: 1, momentum: true)
        let accumulatedStep = makeStep(accumulated, accumulationSteps: 3, momentum: true)
        for index in 0..<3 {
            let batch = randomBatch(count: 6, seed: 50 + UInt64(index), softTargets: true)
            let wholeLoss = wholeStep(batch, learningRate: 0.2)
            let accumulatedLoss = accumulatedStep(batch, learningRate: 0.2)
            #expect(abs(accumulatedLoss - wholeLoss) <= 1e-5 * abs(wholeLoss), "step \(index)")
        }
        #expect(largestRelativeDifference(gradientValues(accumulated), gradientValues(whole)) <= 1e-5)
        #expect(largestRelativeDifference(parameterValues(accumulated), parameterValues(whole)) <= 1e-5)
    }

    /// Batch norm normalises each micro-batch on its own, so accumulation changes the gradients there, as in timm.
    @Test func batchNormSeesEachMicroBatchOnItsOwn() throws {
        let whole = tinyResNet()
        let accumulated = tinyResNet()
        let batch = randomBatch(count: 8, seed: 43)
        makeStep(whole, accumulationSteps: 1)(batch, learningRate: 0.1)
        makeStep(accumulated, accumulationSteps: 2)(batch, learningRate: 0.1)
        #expect(largestRelativeDifference(gradientValues(accumulated), gradientValues(whole)) > 1e-3)
        let counter = try #require(accumulated.namedBuffers().first { $0.path == "bn1.num_batches_tracked" }?.buffer)
        guard case .count(let tracked) = counter.value else { Issue.record("not a counter"); return }
        #expect(tracked == 2)
    }

    @Test func microBatchesSplitImagesLabelsAndSoftTargetsByRows() {
        let batch = randomBatch(count: 6, seed: 44, softTargets: true)
        let part = TrainingStep.microBatch(of: batch, part: 1, of: 3)
        #expect(part.images.shape == [2, 1, 16, 16])
        #expect(part.images.scalars == Array(batch.images.scalars[2 * 256..<4 * 256]))
        #expect(part.labels == Array(batch.labels[2..<4]))
        #expect(part.softTargets == Array(batch.softTargets![20..<40]))
    }

    @Test func aBatchSizeTheStepsDoNotDivideIsRefusedNamingTheKey() throws {
        _ = trainingBackend
        let folder = try temporaryFolder("accumulation")
        defer { try? FileManager.default.removeItem(at: folder) }
        do {
            _ = try Trainer(recipe: try tinyRecipe(["gradient.accumulation_steps=3"]), folder: RunFolder(url: folder),
                            resume: false, stopRequest: StopRequest(listensToSignals: false), display: silentDisplay())
            Issue.record("a batch of 16 was split into 3 micro-batches")
        } catch let error as DataConfigurationError {
            #expect(error.key == "gradient.accumulation_steps")
            #expect(error.description.contains("data.batch_size 16"))
        }
    }
}
