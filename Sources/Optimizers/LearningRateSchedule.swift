import Foundation

/// The learning rate of every optimizer step: a linear warm-up followed by a decay.
///
/// Steps are 0-based and count optimizer updates, not epochs; `learningRate(atStep:)`
/// is the rate used for that step's update. The warm-up rises linearly from
/// `warmupStart` at step 0 towards `peak`, reaching it at step `warmupSteps` (so the
/// last warm-up step is just below the peak), as timm's per-iteration warm-up does:
/// lr = start + (peak − start)·step / warmupSteps. After the warm-up the decay runs over
/// the remaining `totalSteps − warmupSteps` steps, with t counted from the end of the
/// warm-up (timm's `warmup_prefix`):
/// - cosine: min + (peak − min)·(1 + cos(π·t / decaySteps)) / 2 (`CosineAnnealingLR`);
/// - polynomial: min + (peak − min)·(1 − t / decaySteps)^power (timm's `PolyLRScheduler`);
/// - step: peak·gamma^⌊t / everySteps⌋ (`StepLR`);
/// - multi-step: peak·gamma^(number of milestones ≤ step), with milestones as absolute
///   step indices from the start of training, as recipes state "epochs 30, 60, 80"
///   (`MultiStepLR`);
/// - constant: peak.
/// Steps at or beyond `totalSteps` keep the rate of the last step, `totalSteps − 1`.
///
/// The schedule is a pure function of the step rather than a stateful scheduler that is
/// stepped along with the optimizer, so resuming from a checkpoint needs only the step
/// count, and the whole curve can be previewed (`hone schedule`) without training.
public struct LearningRateSchedule: Sendable, Equatable {
    /// How the rate falls after the warm-up.
    public enum Decay: Sendable, Equatable {
        /// The peak rate until the end.
        case constant
        /// Half a cosine from the peak down to `minimum`, reached after the last step.
        case cosine(minimum: Double)
        /// Multiply by `gamma` every `everySteps` steps after the warm-up.
        case step(everySteps: Int, gamma: Double)
        /// Multiply by `gamma` at each milestone, an absolute step index from the start of training.
        case multiStep(milestones: [Int], gamma: Double)
        /// (1 − progress)^power from the peak down to `minimum`, reached after the last step.
        case polynomial(power: Double, minimum: Double)
    }

    /// The rate at the end of the warm-up, where the decay starts.
    public let peak: Double
    /// The number of optimizer steps in the whole run, warm-up included.
    public let totalSteps: Int
    /// The number of steps of linear warm-up; zero starts at the peak.
    public let warmupSteps: Int
    /// The rate at step 0 when there is a warm-up.
    public let warmupStart: Double
    /// The decay after the warm-up.
    public let decay: Decay

    /// A schedule of `totalSteps` steps, the first `warmupSteps` of them warming up from `warmupStart` to `peak`.
    public init(peak: Double, totalSteps: Int, warmupSteps: Int, warmupStart: Double, decay: Decay) {
        precondition(totalSteps > 0, "A schedule needs at least one step, got totalSteps = \(totalSteps)")
        precondition((0...totalSteps).contains(warmupSteps),
                     "warmupSteps must lie in 0...totalSteps (\(totalSteps)), got \(warmupSteps)")
        switch decay {
        case .constant, .cosine:
            break
        case .step(let everySteps, _):
            precondition(everySteps > 0, "A step decay needs everySteps > 0, got \(everySteps)")
        case .multiStep(let milestones, _):
            precondition(milestones.allSatisfy { $0 >= 0 }, "Milestones must not be negative, got \(milestones)")
            precondition(zip(milestones, milestones.dropFirst()).allSatisfy { $0 < $1 },
                         "Milestones must be strictly increasing, got \(milestones)")
        case .polynomial(let power, _):
            precondition(power > 0, "A polynomial decay needs power > 0, got \(power)")
        }
        self.peak = peak
        self.totalSteps = totalSteps
        self.warmupSteps = warmupSteps
        self.warmupStart = warmupStart
        self.decay = decay
    }

    /// The learning rate for the update of 0-based `step`; steps past the end keep the last step's rate.
    public func learningRate(atStep step: Int) -> Double {
        precondition(step >= 0, "Steps are 0-based, got \(step)")
        let step = min(step, totalSteps - 1)
        if step < warmupSteps {
            return warmupStart + (peak - warmupStart) * Double(step) / Double(warmupSteps)
        }
        let elapsed = Double(step - warmupSteps)
        let decaySteps = Double(totalSteps - warmupSteps)
        switch decay {
        case .constant:
            return peak
        case .cosine(let minimum):
            return minimum + (peak - minimum) * (1 + cos(Double.pi * elapsed / decaySteps)) / 2
        case .polynomial(let power, let minimum):
            return minimum + (peak - minimum) * pow(1 - elapsed / decaySteps, power)
        case .step(let everySteps, let gamma):
            return peak * pow(gamma, Double((step - warmupSteps) / everySteps))
        case .multiStep(let milestones, let gamma):
            let passed = milestones.prefix { $0 <= step }.count
            return peak * pow(gamma, Double(passed))
        }
    }

    /// The rate at every `stride`-th step from 0, and at the last step, for plotting.
    public func curve(every stride: Int = 1) -> [(step: Int, learningRate: Double)] {
        precondition(stride > 0, "The stride must be positive, got \(stride)")
        var steps = Array(Swift.stride(from: 0, to: totalSteps, by: stride))
        if steps.last != totalSteps - 1 { steps.append(totalSteps - 1) }
        return steps.map { (step: $0, learningRate: learningRate(atStep: $0)) }
    }
}
