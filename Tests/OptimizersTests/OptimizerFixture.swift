import Autodiff
import Foundation
import Layers
import Optimizers
import TensorCore

/// PyTorch's and timm's optimizer runs, as `scripts/fixtures/make_optimizer_fixtures.py` writes them to `Fixtures/`.
///
/// Four parameters (a linear weight and bias, a norm scale and shift) start from the same
/// values in every case, get the same gradient at each step and the same learning rate;
/// each case records the parameters after every step of one reference optimizer with its
/// options, with `no_bias_decay` off (one group) or on (timm's two groups).
struct OptimizerFixture: Decodable {
    /// A parameter's starting value: its dotted path, what it is, its shape and its values.
    struct StoredParameter: Decodable {
        var path: String
        var kind: String
        var shape: [Int]
        var values: [Float]
    }

    /// The reference optimizer's options, with the recipe's key names; each case sets those its optimizer takes.
    struct Options: Decodable {
        var momentum: Float?
        var nesterov: Bool?
        var dampening: Float?
        var betas: [Float]?
        var eps: Float?
        var trustCoefficient: Float?
        var trustClip: Bool?
        var maxGradNorm: Float?
        var alpha: Float?
        var lrInMomentum: Bool?
    }

    /// One reference run: which optimizer, its options, and the parameters after each step.
    struct Case: Decodable {
        var name: String
        var optimizer: String
        var options: Options
        var noBiasDecay: Bool
        /// `steps[step][parameter]`: the values after that step, in the order of `parameters`.
        var steps: [[[Float]]]
    }

    var parameters: [StoredParameter]
    /// `gradients[step][parameter]`.
    var gradients: [[[Float]]]
    var learningRates: [Float]
    var cases: [Case]

    /// The weight decay the script gives every group that decays.
    static let weightDecay: Float = 0.05

    /// The fixture file, decoded from the test bundle.
    static let shared: OptimizerFixture = {
        guard let url = Bundle.module.url(forResource: "optimizers", withExtension: "json", subdirectory: "Fixtures"),
              let data = try? Data(contentsOf: url) else {
            fatalError("Fixtures/optimizers.json is missing; run scripts/fixtures/make_optimizer_fixtures.py")
        }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        do {
            return try decoder.decode(OptimizerFixture.self, from: data)
        } catch {
            fatalError("Fixtures/optimizers.json does not decode: \(error)")
        }
    }()

    /// The case recorded under `name` with `noBiasDecay`.
    func run(_ name: String, noBiasDecay: Bool) -> Case? {
        cases.first { $0.name == name && $0.noBiasDecay == noBiasDecay }
    }

    /// Fresh parameters holding the starting values, as `(path, parameter)` pairs.
    func makeParameters() -> [(path: String, parameter: Parameter)] {
        _ = testBackend
        return parameters.map { stored in
            let kind: Parameter.Kind = switch stored.kind {
            case "weight": .weight
            case "bias": .bias
            case "normScale": .normScale
            default: .normShift
            }
            let value = Tensor(shape: Shape(stored.shape), scalars: stored.values)
            return (stored.path, Parameter(name: String(stored.path.split(separator: ".").last!), value: value,
                                           kind: kind))
        }
    }

    /// Sets every parameter's gradient to the fixture's gradient of `step`.
    func setGradients(of parameters: [(path: String, parameter: Parameter)], step: Int) {
        for ((_, parameter), values) in zip(parameters, gradients[step]) {
            parameter.zeroGradient()
            parameter.variable.accumulateGradient(Tensor(shape: parameter.shape, scalars: values))
        }
    }

    /// The optimizer `testCase` names, built with its options over `parameters`.
    func makeOptimizer(_ testCase: Case, parameters: [(path: String, parameter: Parameter)]) -> any Optimizer {
        let options = testCase.options
        let decay = Self.weightDecay
        let noBiasDecay = testCase.noBiasDecay
        let betas = options.betas.map { (first: $0[0], second: $0[1]) }
        switch testCase.optimizer {
        case "sgd":
            return SGD(parameters: parameters, learningRate: 0, momentum: options.momentum!,
                       nesterov: options.nesterov!, weightDecay: decay, excludeBiasAndNormFromDecay: noBiasDecay)
        case "adamw":
            return AdamW(parameters: parameters, learningRate: 0, betas: betas!, epsilon: options.eps!,
                         weightDecay: decay, excludeBiasAndNormFromDecay: noBiasDecay)
        case "lars":
            return LARS(parameters: parameters, learningRate: 0, momentum: options.momentum!,
                        dampening: options.dampening!, nesterov: options.nesterov!, weightDecay: decay,
                        trustCoefficient: options.trustCoefficient!, epsilon: options.eps!,
                        trustClip: options.trustClip!, excludeBiasAndNormFromDecay: noBiasDecay)
        case "lamb":
            let maximum = options.maxGradNorm!
            return LAMB(parameters: parameters, learningRate: 0, betas: betas!, epsilon: options.eps!,
                        weightDecay: decay, maxGradientNorm: maximum > 0 ? maximum : nil,
                        trustClip: options.trustClip!, excludeBiasAndNormFromDecay: noBiasDecay)
        case "rmsproptf":
            return RMSpropTF(parameters: parameters, learningRate: 0, alpha: options.alpha!, epsilon: options.eps!,
                             momentum: options.momentum!, weightDecay: decay,
                             learningRateInMomentum: options.lrInMomentum!, excludeBiasAndNormFromDecay: noBiasDecay)
        default:
            fatalError("the fixture names an unknown optimizer '\(testCase.optimizer)'")
        }
    }

    /// Runs steps `range` of the fixture on `optimizer`, with the fixture's gradients and learning rates.
    func runSteps(_ range: Range<Int>, optimizer: any Optimizer) {
        for step in range {
            setGradients(of: optimizer.parameters, step: step)
            optimizer.learningRate = learningRates[step]
            optimizer.step()
        }
    }
}
