import Foundation
import Layers
import Models
import Optimizers
import TensorCore
import Testing
import Training

/// The weight average is d·ema + (1 − d)·model over parameters and running statistics, with timm's decay schedule.
@Suite struct ModelEMATests {
    /// Every floating-point tensor of `model`'s state dictionary in Float64, and its counters, by path.
    static func state(_ model: some Layer) -> (tensors: [String: [Double]], counts: [String: Int64]) {
        var tensors: [String: [Double]] = [:]
        var counts: [String: Int64] = [:]
        for (path, parameter) in model.namedParameters() { tensors[path] = parameter.value.scalars.map(Double.init) }
        for (path, buffer) in model.namedBuffers() {
            switch buffer.value {
            case .tensor(let tensor): tensors[path] = Compute.backend.reorder(tensor, to: .plain).scalars.map(Double.init)
            case .count(let count): counts[path] = count
            }
        }
        return (tensors, counts)
    }

    /// ema ← d·ema + (1 − d)·model in Float64, tensor by tensor.
    static func mix(_ average: [String: [Double]], _ model: [String: [Double]], decay: Double) -> [String: [Double]] {
        var result: [String: [Double]] = [:]
        for (path, values) in average {
            result[path] = zip(values, model[path]!).map { decay * $0 + (1 - decay) * $1 }
        }
        return result
    }

    /// Expects the EMA model's state to be `expected` (relative 1e-6 per tensor) with the trained model's counters.
    func expectAverage(_ ema: ModelEMA, equals expected: [String: [Double]], counts: [String: Int64]) {
        let actual = Self.state(ema.average)
        #expect(Set(actual.tensors.keys) == Set(expected.keys))
        for (path, values) in expected {
            let difference = relativeDifference(actual.tensors[path]!.map(Float.init), values.map(Float.init))
            #expect(difference <= 1e-6, "\(path) is \(difference) away from the formula")
        }
        #expect(actual.counts == counts)
    }

    /// A batch-norm model, a step with SGD momentum, and an average started from it (its own model built from another seed).
    func setUp(decay: Double, warmup: Bool, every: Int) -> (model: ResNet, step: TrainingStep, ema: ModelEMA) {
        let model = tinyResNet(seed: 21)
        let step = TrainingStep(model: model, optimizer: SGD(parameters: model.namedParameters(), learningRate: 0.2,
                                                             momentum: 0.9),
                                precision: .f32, objective: CrossEntropyObjective())
        let ema = ModelEMA(model: model, average: tinyResNet(seed: 99), decay: decay, warmup: warmup, every: every)
        return (model, step, ema)
    }

    /// Values of timm 1.0.29's `ModelEmaV3(decay=0.999, use_warmup=True).get_decay(step)` for these steps.
    @Test func warmUpDecayFollowsTimmsModelEmaV3() {
        let updates = [1, 2, 3, 4, 10, 100, 1000, 100_000]
        let timm = [0.0, 0.3700394750525634, 0.5192501432308638, 0.6031497370079502, 0.7845565309968117,
                    0.9535841116638722, 0.99, 0.999]
        let warm = ModelEMA(model: tinyResNet(), average: tinyResNet(), decay: 0.999, warmup: true)
        for (update, expected) in zip(updates, timm) {
            #expect(abs(warm.decay(forUpdate: update) - expected) <= 1e-12, "update \(update)")
        }
        let plain = ModelEMA(model: tinyResNet(), average: tinyResNet(), decay: 0.999)
        #expect([1, 2, 3, 50].map(plain.decay(forUpdate:)) == [0, 0.999, 0.999, 0.999])
    }

    @Test func averageStartsAtTheModelAndFollowsTheFormulaAfterEveryStep() {
        let (model, step, ema) = setUp(decay: 0.8, warmup: false, every: 1)
        var expected = Self.state(model).tensors
        expectAverage(ema, equals: expected, counts: Self.state(model).counts)
        for index in 0..<4 {
            step(randomBatch(count: 4, seed: 60 + UInt64(index)), learningRate: 0.2)
            #expect(ema.update(from: model, afterStep: index + 1))
            expected = Self.mix(expected, Self.state(model).tensors, decay: index == 0 ? 0 : 0.8)
        }
        #expect(ema.updateCount == 4)
        let trained = Self.state(model)
        expectAverage(ema, equals: expected, counts: trained.counts)
        let averaged = Self.state(ema.average).tensors
        #expect(relativeDifference(averaged["conv1.weight"]!.map(Float.init),
                                   trained.tensors["conv1.weight"]!.map(Float.init)) > 1e-3)
        #expect(relativeDifference(averaged["bn1.running_var"]!.map(Float.init),
                                   trained.tensors["bn1.running_var"]!.map(Float.init)) > 1e-3)
    }

    @Test func averageUpdatesOnlyAfterEveryKthStepWithTheWarmUpOfItsOwnCount() {
        let (model, step, ema) = setUp(decay: 0.9, warmup: true, every: 2)
        var expected = Self.state(model).tensors
        var updates = 0
        for index in 1...6 {
            step(randomBatch(count: 4, seed: 70 + UInt64(index)), learningRate: 0.2)
            let updated = ema.update(from: model, afterStep: index)
            #expect(updated == (index % 2 == 0), "step \(index)")
            if updated {
                updates += 1
                let decay = updates == 1 ? 0 : min(0.9, 1 - pow(Double(updates), -2.0 / 3.0))
                expected = Self.mix(expected, Self.state(model).tensors, decay: decay)
            }
        }
        #expect(ema.updateCount == 3)
        expectAverage(ema, equals: expected, counts: Self.state(model).counts)
    }
}
