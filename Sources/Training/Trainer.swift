import Autodiff
import DataPipeline
import Foundation
import Interop
import Layers
import Models
import Optimizers
import Recipes
import TensorCore

/// Trains a model from a recipe into a run folder: epochs of optimizer steps, evaluation, checkpoints, resume.
///
/// The loop is short on purpose: each step is forward, loss, backward, update;
/// the rest (progress, summary rows, evaluation files, checkpoints) happens at
/// step and epoch boundaries. Everything random draws from the recipe's seed (the
/// loader from (seed, epoch, position), the model from its own generator), so a
/// run stopped after any step and resumed gives bit-identical weights with the
/// same thread count.
///
/// With `ema.decay` above 0 the trainer also keeps a moving average of the weights in
/// a second model built the same way, evaluates it beside the trained weights, and
/// saves and restores it with every checkpoint. As in timm's train script, the
/// average's top-1 then decides `best` (timm replaces the evaluation metrics with the
/// EMA's before its checkpoint saver ranks them); the `best` folder holds both sets
/// of weights.
///
/// Under `mpirun` (a `DataParallelGroup` of several ranks) every rank runs this loop
/// on its share of each global batch (`BatchSplit`, `ReplicaShare`): the model is
/// broadcast from rank 0 at start, gradients are averaged while backward runs
/// (`GradientAveraging`), losses and stop requests are agreed on every step, the
/// evaluation is sharded and summed, and rank 0 alone writes the run folder. A resumed
/// run may use another number of ranks: the global batch, and so the schedule, stays.
public final class Trainer {
    public struct Result: Sendable {
        public var finalEvaluation: EvaluationMetrics?
        /// The weight average's last evaluation, in a run with an EMA.
        public var finalEMAEvaluation: EvaluationMetrics?
        /// The best top-1 so far: the EMA's in a run with one, else the trained weights'.
        public var bestTop1: Double?
        public var steps: Int
        /// True when a stop request ended the run before its last epoch.
        public var stoppedEarly: Bool
        public var trainingSeconds: Double
    }

    let recipe: Recipe
    let folder: RunFolder
    /// The data-parallel ranks; one rank without `mpirun`.
    let group: DataParallelGroup
    let split: BatchSplit
    let stopRequest: StopRequest
    let display: ProgressDisplay
    let data: TrainingData
    let model: ResNet
    /// The moving average of the weights, when the recipe keeps one.
    let ema: ModelEMA?
    let optimizer: any Optimizer
    let step: TrainingStep
    /// The frozen parts, whose batch norms may stay in evaluation mode while the rest trains.
    let frozen: FrozenParts
    let schedule: LearningRateSchedule
    var progress: TrainingProgress
    /// The skipped samples already named in the log.
    var loggedSkippedIndices: Set<Int> = []
    /// Observers of the loop's events (steps and epochs), called on the training thread.
    public var observers: [(TrainingEvent) -> Void] = []

    /// Prepares a new run in `folder` (resume false) or continues the run there (resume true), as one rank of `group`.
    public init(recipe: Recipe, folder: RunFolder, resume: Bool, stopRequest: StopRequest,
                display: ProgressDisplay, group: DataParallelGroup = DataParallelGroup()) throws {
        self.recipe = recipe
        var folder = folder
        folder.tracksEMA = recipe.ema.isEnabled
        self.folder = folder
        self.stopRequest = stopRequest
        self.display = display
        self.group = group
        split = try BatchSplit(recipe: recipe, ranks: group.worldSize)
        data = try TrainingData(recipe: recipe, replica: group.share)
        let batchSize = recipe.data.batchSize
        let stepsPerEpoch = data.trainingLoader.batchesPerEpoch
        guard stepsPerEpoch > 0 else {
            throw DataConfigurationError(
                key: "data.batch_size",
                message: "\(data.trainingCount) training images make no full batch of \(batchSize) (the last partial "
                    + "batch of an epoch is dropped); expected a batch size of at most \(data.trainingCount)")
        }
        guard recipe.schedule.epochs > 0 || recipe.initialization.from != nil else {
            throw DataConfigurationError(
                key: "schedule.epochs",
                message: "0 epochs trains nothing and evaluates the weights init.from names, but init.from is not set; "
                    + "expected epochs of at least 1, or init.from")
        }
        schedule = Self.schedule(recipe: recipe, stepsPerEpoch: stepsPerEpoch)
        let setup = try TrainingSetup(
            recipe: recipe, classes: data.classNames.count, channels: data.channels,
            learningRate: schedule.learningRate(atStep: 0),
            objective: try ObjectiveFactory.makeObjective(recipe: recipe, classes: data.classNames.count,
                                                          inputChannels: data.channels),
            loadsInitialWeights: !resume)
        model = setup.model
        guard recipe.run.recalibrateBatchNorm == 0 || !model.batchNorms.isEmpty else {
            throw DataConfigurationError(
                key: "run.recalibrate_bn",
                message: "\(recipe.run.recalibrateBatchNorm) batches asked for, but the model has no batch norm to "
                    + "recalibrate (model.norm: \(recipe.model.norm.rawValue)); expected 0")
        }
        frozen = setup.frozen
        ema = setup.ema
        optimizer = setup.optimizer
        step = setup.step
        progress = TrainingProgress(epoch: 0, batchInEpoch: 0, step: 0, bestTop1: nil,
                                    modelRandomState: model.generator.state, recipeFingerprint: recipe.fingerprint,
                                    epochLossSum: 0, elapsedSeconds: 0, worldSize: group.worldSize)
        try group.checkAgreement(recipe: recipe, model: model)
        if resume {
            try restore()
        } else if group.isWriter {
            try folder.create(recipeYAML: recipe.resolvedYAML())
        }
        try prepareDataParallel()
        for note in setup.notes { log(note) }
        if !data.emptyClasses.isEmpty {
            log("classes without training images (allowed by data.allow_empty_classes): "
                + data.emptyClasses.joined(separator: ", "))
        }
        log("model \(recipe.model.name): \(model.parameterCount) parameters; "
            + "\(data.trainingCount) training / \(data.evaluationCount) evaluation images; "
            + "\(split.description), \(stepsPerEpoch) steps per epoch, peak lr "
            + String(format: "%.5g", recipe.optimizer.effectiveLearningRate(batchSize: batchSize))
            + Self.scalingNote(recipe.optimizer, batchSize: batchSize)
            + (recipe.ema.isEnabled ? "; weight EMA decay \(recipe.ema.decay) every \(recipe.ema.every) steps" : ""))
    }

    /// Runs the remaining epochs; returns when done or when a stop was requested (after saving).
    public func run() throws -> Result {
        let epochs = recipe.schedule.epochs
        let sessionStart = Date()
        var lastEvaluation: EvaluationMetrics?
        var lastEMAEvaluation: EvaluationMetrics?
        var stepsSinceCheckpoint = 0
        if epochs == 0 && progress.epoch == 0 { return try evaluateInitialWeights(sessionStart: sessionStart) }
        while progress.epoch < epochs {
            let epoch = progress.epoch
            let batches = data.trainingLoader.batchesPerEpoch
            frozen.setTraining(true, model: model)
            var imagesThisSession = 0
            let waitedBefore = step.gradientAveraging?.exposedSeconds ?? 0
            let epochStart = Date()
            var stream = data.trainingLoader.stream(epoch: epoch, startingAt: progress.batchInEpoch)
            while let batch = try stream.next() {
                let learningRate = schedule.learningRate(atStep: progress.step)
                let rankLoss = trainingStep(batch, learningRate: learningRate)
                progress.step += 1
                ema?.update(from: model, afterStep: progress.step)
                progress.batchInEpoch += 1
                imagesThisSession += batch.count
                stepsSinceCheckpoint += 1
                for observer in observers {
                    observer(.stepEnd(step: progress.step, loss: rankLoss, learningRate: learningRate))
                }
                // After the observers, which may ask to stop after this step.
                let agreed = try group.agree(loss: rankLoss, stopRequested: stopRequest.isRequested)
                let loss = agreed.meanLoss
                progress.epochLossSum += loss
                let seconds = Date().timeIntervalSince(epochStart)
                if group.isWriter {
                    display.step(epoch: epoch, epochs: epochs, batch: progress.batchInEpoch, batches: batches,
                                 loss: loss, learningRate: learningRate,
                                 imagesPerSecond: Double(imagesThisSession * group.worldSize) / max(seconds, 1e-9),
                                 secondsPerBatch: seconds / Double(max(imagesThisSession / batch.count, 1)))
                }
                if agreed.stop {
                    try saveCheckpoint(names: [.last], sessionStart: sessionStart)
                    let reason = stopRequest.reason ?? "a request on another rank"
                    let message = "stopped by \(reason) after step \(progress.step) "
                        + "(epoch \(epoch + 1), batch \(progress.batchInEpoch)/\(batches)); "
                        + "resume with: hone train --resume \(folder.url.path)"
                    log(message)
                    return Result(finalEvaluation: lastEvaluation, finalEMAEvaluation: lastEMAEvaluation,
                                  bestTop1: progress.bestTop1, steps: progress.step, stoppedEarly: true,
                                  trainingSeconds: totalSeconds(since: sessionStart))
                }
                let every = recipe.run.checkpointEvery
                if every > 0 && stepsSinceCheckpoint >= every && progress.batchInEpoch < batches {
                    try saveCheckpoint(names: [.last], sessionStart: sessionStart)
                    stepsSinceCheckpoint = 0
                }
            }
            logNewlySkippedSamples()
            let trainLoss = progress.epochLossSum / Double(max(batches, 1))
            let imagesPerSecond = Double(imagesThisSession * group.worldSize)
                / max(Date().timeIntervalSince(epochStart), 1e-9)
            var names: [CheckpointStore.Name] = [.last]
            let isLast = epoch + 1 == epochs
            var evaluation: EvaluationMetrics?
            var emaEvaluation: EvaluationMetrics?
            if isLast || (epoch + 1) % recipe.run.evalEvery == 0 {
                if isLast { try recalibrateBatchNorms() }
                try agreeOnRunningStatistics()
                let metrics = try evaluateShares(of: model)
                if group.isWriter { try folder.writeEvaluation(metrics, classNames: data.classNames) }
                if let average = ema?.average as? ResNet {
                    let averaged = try evaluateShares(of: average)
                    if group.isWriter { try folder.writeEvaluation(averaged, classNames: data.classNames, ofEMA: true) }
                    emaEvaluation = averaged
                    lastEMAEvaluation = averaged
                }
                let ranked = emaEvaluation ?? metrics
                if ranked.top1 > (progress.bestTop1 ?? -1) {
                    progress.bestTop1 = ranked.top1
                    names.append(.best)
                }
                evaluation = metrics
                lastEvaluation = metrics
            }
            let learningRate = schedule.learningRate(atStep: max(progress.step - 1, 0))
            progress.epoch += 1
            progress.batchInEpoch = 0
            progress.epochLossSum = 0
            stepsSinceCheckpoint = 0
            try saveCheckpoint(names: names, sessionStart: sessionStart)
            let wallSeconds = totalSeconds(since: sessionStart)
            if group.isWriter {
                folder.appendSummary(epoch: epoch, trainLoss: trainLoss, evaluation: evaluation,
                                     emaEvaluation: emaEvaluation, learningRate: learningRate,
                                     imagesPerSecond: imagesPerSecond, wallSeconds: wallSeconds)
            }
            var line = String(format: "epoch %d/%d  train loss %.4f  %.0f img/s", epoch + 1, epochs, trainLoss,
                              imagesPerSecond)
            if let evaluation {
                line += String(format: "  eval loss %.4f  top-1 %.2f%%  top-5 %.2f%%", evaluation.loss, evaluation.top1,
                               evaluation.top5)
            }
            if let emaEvaluation {
                line += String(format: "  EMA eval loss %.4f  top-1 %.2f%%  top-5 %.2f%%", emaEvaluation.loss,
                               emaEvaluation.top1, emaEvaluation.top5)
            }
            if let averaging = step.gradientAveraging {
                let trainingSeconds = Double(imagesThisSession) / max(imagesPerSecond / Double(group.worldSize), 1e-9)
                let waited = averaging.exposedSeconds - waitedBefore
                line += String(format: "  waited %.2f s for gradient all-reduces after backward (%.1f%% of training)",
                               waited, 100 * waited / max(trainingSeconds, 1e-9))
            }
            line += String(format: "  (%.0f s)", wallSeconds)
            log(line)
            for observer in observers { observer(.epochEnd(epoch: epoch, trainLoss: trainLoss, evaluation: evaluation)) }
        }
        return Result(finalEvaluation: lastEvaluation, finalEMAEvaluation: lastEMAEvaluation, bestTop1: progress.bestTop1,
                      steps: progress.step, stoppedEarly: false, trainingSeconds: totalSeconds(since: sessionStart))
    }

    /// A run of 0 epochs: recalibrates (with `run.recalibrate_bn`) and evaluates the loaded weights, saves them as `last`
    /// and `best`, and writes one summary row (epoch 0, no training loss).
    func evaluateInitialWeights(sessionStart: Date) throws -> Result {
        try recalibrateBatchNorms()
        let metrics = try evaluateShares(of: model)
        if group.isWriter { try folder.writeEvaluation(metrics, classNames: data.classNames) }
        progress.bestTop1 = metrics.top1
        progress.epoch = 1
        try saveCheckpoint(names: [.last, .best], sessionStart: sessionStart)
        let wallSeconds = totalSeconds(since: sessionStart)
        if group.isWriter {
            folder.appendSummary(epoch: 0, trainLoss: nil, evaluation: metrics, learningRate: 0, imagesPerSecond: 0,
                                 wallSeconds: wallSeconds)
        }
        log(String(format: "no training (schedule.epochs 0): eval loss %.4f  top-1 %.2f%%  top-5 %.2f%%  (%.0f s)",
                   metrics.loss, metrics.top1, metrics.top5, wallSeconds))
        return Result(finalEvaluation: metrics, finalEMAEvaluation: nil, bestTop1: metrics.top1, steps: 0,
                      stoppedEarly: false, trainingSeconds: wallSeconds)
    }

    /// With `run.recalibrate_bn` N > 0: the batch norms' running statistics (the weight average's too) re-estimated on
    /// N training batches at the evaluation transform, as `hone eval --recalibrate-bn` does.
    func recalibrateBatchNorms() throws {
        let batches = recipe.run.recalibrateBatchNorm
        guard batches > 0 else { return }
        let recalibration = try BatchNormRecalibration(batches: batches, precision: recipe.run.precision)
        let report = try recalibration.apply(to: model, loader: data.recalibrationLoader(at: nil))
        try group.averageRunningStatistics(model)
        if let average = ema?.average as? ResNet {
            try recalibration.apply(to: average, loader: data.recalibrationLoader(at: nil))
            try group.averageRunningStatistics(average)
        }
        let ranks = group.worldSize > 1 ? " on each of \(group.worldSize) ranks, then averaged over them" : ""
        log("batch norms recalibrated (run.recalibrate_bn): \(report.layers) layers averaged over \(report.batches) "
            + "training batches (\(report.images) images)\(ranks) at the evaluation transform")
    }

    /// Top-1, top-5, loss and confusion over the whole evaluation set: each rank evaluates its share, the counts are summed.
    func evaluateShares(of model: ResNet) throws -> EvaluationMetrics {
        try group.sum(evaluate(model: model, loader: data.evaluationLoader, classes: data.classNames.count,
                               precision: recipe.run.precision))
    }

    /// Without SyncBN, gives every rank the average of the ranks' running statistics before they are evaluated or saved.
    ///
    /// Each rank's batch norms saw only its share of every batch; the sharded
    /// evaluation and the checkpoint need one model (timm's `--dist-bn reduce`).
    func agreeOnRunningStatistics() throws {
        guard group.worldSize > 1 && !usesSyncBatchNorm else { return }
        try group.averageRunningStatistics(model)
        if let average = ema?.average { try group.averageRunningStatistics(average) }
    }

    /// Whether the batch norms normalise over the global batch (`model.sync_bn` with several ranks).
    var usesSyncBatchNorm: Bool { recipe.model.syncBatchNorm && recipe.model.norm == .batch && group.worldSize > 1 }

    /// Starts every rank from rank 0's weights, seeds the per-rank randomness and, with several ranks, sets up the
    /// gradient averaging.
    ///
    /// Dropout and drop path draw from each rank's own generator (timm seeds each rank
    /// with seed + rank); rank 0 keeps the run's, which the checkpoints store.
    func prepareDataParallel() throws {
        guard group.worldSize > 1 else { return }
        try group.broadcastModel(model)
        if let average = ema?.average { try group.broadcastModel(average) }
        if group.rank > 0 {
            model.generator = SeededGenerator(seed: model.generator.state ^ (0x9E37_79B9_7F4A_7C15 &* UInt64(group.rank)))
        }
        if usesSyncBatchNorm {
            let sum = CommunicatorSum(communicator: group.communicator)
            for layer in model.batchNorms { layer.replicas = sum }
        }
        let averaging = GradientAveraging(parameters: optimizer.parameters.map(\.parameter),
                                          communicator: group.communicator)
        step.gradientAveraging = averaging
        log("data-parallel: \(group.worldSize) ranks, \(split.description) per step; gradients averaged in "
            + "\(averaging.bucketCount) buckets during backward; "
            + (usesSyncBatchNorm ? "SyncBN (batch statistics over the global batch)"
                                 : "batch statistics per rank, running statistics averaged before each evaluation"))
    }

    /// One optimizer step on `batch`; returns its loss.
    func trainingStep(_ batch: FloatBatch, learningRate: Double) -> Double {
        let images = Tensor(shape: [batch.count, batch.channels, batch.height, batch.width], scalars: batch.pixels)
        return step(TrainingBatch(images: images, labels: batch.labels, softTargets: batch.softTargets),
                    learningRate: learningRate)
    }

    /// Rank 0 saves; every rank holds the same weights (and, after an evaluation, the same running statistics).
    func saveCheckpoint(names: [CheckpointStore.Name], sessionStart: Date) throws {
        guard group.isWriter else { return }
        var saved = progress
        saved.modelRandomState = model.generator.state
        saved.elapsedSeconds = totalSeconds(since: sessionStart)
        try folder.checkpoints.save(model: model, ema: ema, optimizer: optimizer.state, progress: saved, as: names)
    }

    /// Loads the run's last checkpoint into the model, the weight average, the optimizer and the progress.
    func restore() throws {
        let contents = try folder.checkpoints.load(.last)
        // A run of an older Hone: its checkpoint has the fingerprint of its recipe.yaml, which lacks keys added since.
        let savedRecipe = try? String(contentsOf: folder.recipeURL, encoding: .utf8)
        let writtenBeforeNewKeys = contents.progress.recipeFingerprint
            == savedRecipe.map(Recipe.fingerprint(ofResolvedYAML:)) && folder.holdsRun(of: recipe)
        guard contents.progress.recipeFingerprint == recipe.fingerprint || writtenBeforeNewKeys else {
            throw CheckpointError.incompatible(
                file: folder.checkpoints.directory.path,
                reason: "the checkpoint was written with another recipe (fingerprint \(contents.progress.recipeFingerprint), "
                    + "this recipe \(recipe.fingerprint)); resume with the run's own recipe.yaml")
        }
        let report = try StateDictionary.load(contents.model, into: model, source: folder.checkpoints.modelURL(.last).path)
        guard report.missing.isEmpty else {
            throw CheckpointError.incompatible(file: folder.checkpoints.modelURL(.last).path,
                                               reason: "missing tensors: \(report.missing.joined(separator: ", "))")
        }
        if let ema {
            let file = folder.checkpoints.emaURL(.last).path
            guard let saved = contents.ema else {
                throw CheckpointError.incompatible(file: file, reason: "the recipe keeps a weight EMA (ema.decay "
                    + "\(recipe.ema.decay)) but the checkpoint has no ema.safetensors")
            }
            let averageReport = try StateDictionary.load(saved.weights, into: ema.average, source: file)
            guard averageReport.missing.isEmpty else {
                let missing = averageReport.missing.joined(separator: ", ")
                throw CheckpointError.incompatible(file: file, reason: "missing tensors: \(missing)")
            }
            ema.restore(updateCount: saved.updates)
        }
        do {
            try optimizer.restore(contents.optimizer)
        } catch {
            throw CheckpointError.incompatible(file: folder.checkpoints.directory.path, reason: error.description)
        }
        model.generator = SeededGenerator(seed: contents.progress.modelRandomState)
        progress = contents.progress
        if group.isWriter { try folder.truncateSummary(before: progress.epoch) }
        log("resumed from step \(progress.step) (epoch \(progress.epoch + 1), batch \(progress.batchInEpoch))")
        if progress.worldSize != group.worldSize {
            log("the checkpoint was written by \(progress.worldSize) rank\(progress.worldSize == 1 ? "" : "s") and this "
                + "run has \(group.worldSize): the global batch stays \(split.global) (now \(split.perRank) images per "
                + "rank), so the learning rate and its schedule are unchanged; batch statistics are now over "
                + (usesSyncBatchNorm ? "the global batch (SyncBN)" : "\(split.perRank / split.accumulationSteps) images"))
            progress.worldSize = group.worldSize
        }
    }

    /// Logs, by name, the unreadable training images skipped since the last call (under `bad_samples: skip`).
    func logNewlySkippedSamples() {
        guard let skipped = data.skippedSamples?.skipped, skipped.count > loggedSkippedIndices.count else { return }
        for entry in skipped where loggedSkippedIndices.insert(entry.sampleIndex).inserted {
            log("skipped unreadable image \(entry.path): \(entry.reason)")
        }
        log("\(skipped.count) unreadable training image\(skipped.count == 1 ? "" : "s") skipped so far")
    }

    /// Rank 0 prints and logs `line`; the other ranks stay quiet.
    func log(_ line: String) {
        guard group.isWriter else { return }
        display.line(line)
        folder.log(line)
    }

    func totalSeconds(since sessionStart: Date) -> Double {
        progress.elapsedSeconds + Date().timeIntervalSince(sessionStart)
    }

    /// " (0.1 × batch 512 / 256, linear scaling)": how the peak learning rate follows the global batch.
    static func scalingNote(_ optimizer: Recipe.Optimizer, batchSize: Int) -> String {
        switch optimizer.learningRateScaling {
        case .none: ""
        case .linear: " (lr \(optimizer.learningRate) × \(batchSize) / \(optimizer.learningRateBaseBatch), linear scaling)"
        case .squareRoot:
            " (lr \(optimizer.learningRate) × √(\(batchSize) / \(optimizer.learningRateBaseBatch)), square-root scaling)"
        }
    }

    /// The recipe's schedule in optimizer steps.
    public static func schedule(recipe: Recipe, stepsPerEpoch: Int) -> LearningRateSchedule {
        let section = recipe.schedule
        let total = max(section.epochs, 1) * stepsPerEpoch
        let warmup = min(Int((section.warmupEpochs * Double(stepsPerEpoch)).rounded()), total)
        let decay: LearningRateSchedule.Decay = switch section.decay {
        case .constant: .constant
        case .cosine: .cosine(minimum: section.minLR)
        case .step: .step(everySteps: section.stepEpochs * stepsPerEpoch, gamma: section.gamma)
        case .multistep: .multiStep(milestones: section.milestones.map { $0 * stepsPerEpoch }, gamma: section.gamma)
        case .poly: .polynomial(power: section.power, minimum: section.minLR)
        }
        return LearningRateSchedule(peak: recipe.optimizer.effectiveLearningRate(batchSize: recipe.data.batchSize),
                                    totalSteps: total, warmupSteps: warmup, warmupStart: section.warmupStartLR,
                                    decay: decay)
    }
}
