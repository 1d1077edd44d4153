import Foundation
import Layers
import Models
import Optimizers
import Recipes
import TensorCore
import Testing
import Training

/// Clipping by norm, by value and AGC give PyTorch's and timm's gradients; a threshold of 0 changes nothing.
@Suite struct GradientClippingTests {
    /// `gradient_clipping.json`, written by `scripts/fixtures/make_clipping_fixtures.py`.
    struct Fixture: Decodable {
        struct Entry: Decodable {
            let name: String
            let shape: [Int]
            let value: [Float]
            let gradient: [Float]
        }

        struct Case: Decodable {
            let threshold: Double
            let totalNorm: Double?
            let gradients: [[Float]]

            enum CodingKeys: String, CodingKey {
                case maxNorm = "max_norm", clipValue = "clip_value", clipFactor = "clip_factor"
                case totalNorm = "total_norm", gradients
            }

            init(from decoder: any Decoder) throws {
                let container = try decoder.container(keyedBy: CodingKeys.self)
                threshold = try container.decodeIfPresent(Double.self, forKey: .maxNorm)
                    ?? container.decodeIfPresent(Double.self, forKey: .clipValue)
                    ?? container.decode(Double.self, forKey: .clipFactor)
                totalNorm = try container.decodeIfPresent(Double.self, forKey: .totalNorm)
                gradients = try container.decode([[Float]].self, forKey: .gradients)
            }
        }

        let parameters: [Entry]
        let norm: [Case]
        let value: [Case]
        let agc: [Case]
    }

    static let fixture: Fixture = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/gradient_clipping.json")
        return try! JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
    }()

    /// The fixture's parameters with their unclipped gradients.
    func fixtureParameters() -> [(path: String, parameter: Parameter)] {
        _ = trainingBackend
        return Self.fixture.parameters.map { tensor in
            let parameter = Parameter(name: tensor.name, value: Tensor(shape: Shape(tensor.shape),
                                                                                   scalars: tensor.value),
                                      kind: tensor.shape.count == 1 ? .bias : .weight)
            parameter.variable.accumulateGradient(Tensor(shape: Shape(tensor.shape), scalars: tensor.gradient))
            return (tensor.name, parameter)
        }
    }

    func expectGradients(_ parameters: [(path: String, parameter: Parameter)], equal expected: [[Float]],
                         _ mode: GradientClipping.Mode) {
        for ((path, parameter), values) in zip(parameters, expected) {
            let actual = parameter.gradient!.scalars
            for (index, (a, b)) in zip(actual, values).enumerated() {
                #expect(abs(Double(a) - Double(b)) <= 1e-6 * abs(Double(b)), "\(mode) \(path)[\(index)]: \(a) vs \(b)")
            }
        }
    }

    @Test func normClippingMatchesPyTorch() throws {
        #expect(Self.fixture.norm.count == 2)
        for reference in Self.fixture.norm {
            let parameters = fixtureParameters()
            let norm = try #require(GradientClipping(mode: .norm, threshold: reference.threshold).apply(to: parameters))
            #expect(abs(norm - reference.totalNorm!) <= 1e-6 * reference.totalNorm!)
            expectGradients(parameters, equal: reference.gradients, .norm)
        }
        #expect(Self.fixture.norm[0].gradients[0] != Self.fixture.parameters[0].gradient, "the first case clips")
        #expect(Self.fixture.norm[1].gradients[0] == Self.fixture.parameters[0].gradient, "the second does not")
    }

    @Test func valueClippingMatchesPyTorch() {
        for reference in Self.fixture.value {
            let parameters = fixtureParameters()
            #expect(GradientClipping(mode: .value, threshold: reference.threshold).apply(to: parameters) == nil)
            expectGradients(parameters, equal: reference.gradients, .value)
            #expect(reference.gradients[0] != Self.fixture.parameters[0].gradient)
        }
    }

    @Test func adaptiveClippingMatchesTimm() {
        for reference in Self.fixture.agc {
            let parameters = fixtureParameters()
            GradientClipping(mode: .adaptive, threshold: reference.threshold).apply(to: parameters)
            expectGradients(parameters, equal: reference.gradients, .adaptive)
            for (tensor, clipped) in zip(Self.fixture.parameters, reference.gradients) {
                #expect(tensor.gradient != clipped, "\(tensor.name) should have a clipped unit")
            }
        }
    }

    @Test(arguments: GradientClipping.Mode.allCases)
    func zeroThresholdLeavesGradientsUntouched(mode: GradientClipping.Mode) {
        let parameters = fixtureParameters()
        let clipping = GradientClipping(mode: mode, threshold: 0)
        #expect(!clipping.isEnabled)
        #expect(clipping.apply(to: parameters) == nil)
        for ((_, parameter), tensor) in zip(parameters, Self.fixture.parameters) {
            #expect(parameter.gradient!.scalars == tensor.gradient)
        }
    }

    @Test func recipeClipModesMapToTheClippingAndZeroMeansNone() {
        #expect(TrainingStep.clipping(Recipe.Gradient(clip: 0, clipMode: .agc)) == nil)
        #expect(TrainingStep.clipping(Recipe.Gradient(clip: 2, clipMode: .norm))
                == GradientClipping(mode: .norm, threshold: 2))
        #expect(TrainingStep.clipping(Recipe.Gradient(clip: 0.5, clipMode: .value))
                == GradientClipping(mode: .value, threshold: 0.5))
        #expect(TrainingStep.clipping(Recipe.Gradient(clip: 0.01, clipMode: .agc))
                == GradientClipping(mode: .adaptive, threshold: 0.01))
    }

    /// Two identical models take one plain-SGD step on the same batch, one clipping by norm far below the gradient's.
    func stepPair(clipping: (Double) -> GradientClipping) -> (plain: ResNet, clipped: ResNet, norm: Double) {
        let plain = tinyResNet(seed: 12)
        let clipped = tinyResNet(seed: 12)
        let batch = randomBatch(count: 4, seed: 45)
        let plainStep = TrainingStep(model: plain, optimizer: SGD(parameters: plain.namedParameters(), learningRate: 0.1),
                                     precision: .f32, objective: CrossEntropyObjective())
        plainStep(batch, learningRate: 0.1)
        let norm = l2Norm(gradientValues(plain).values.flatMap { $0 })
        let clippedStep = TrainingStep(model: clipped,
                                       optimizer: SGD(parameters: clipped.namedParameters(), learningRate: 0.1),
                                       precision: .f32, objective: CrossEntropyObjective(), clipping: clipping(norm))
        clippedStep(batch, learningRate: 0.1)
        return (plain, clipped, norm)
    }

    @Test func aStepClipsTheAccumulatedGradientsBeforeTheUpdate() {
        let (plain, clipped, norm) = stepPair { GradientClipping(mode: .norm, threshold: $0 / 10) }
        let factor = Float((norm / 10) / (norm + 1e-6))
        let expected = gradientValues(plain).mapValues { $0.map { $0 * factor } }
        #expect(largestRelativeDifference(gradientValues(clipped), expected) <= 1e-6)
        #expect(largestRelativeDifference(parameterValues(clipped), parameterValues(plain)) > 1e-4)
    }

    /// timm's train script hands AGC every parameter but the classifier's (`model_parameters(exclude_head=True)`).
    @Test func adaptiveClippingInAStepLeavesTheClassifierAlone() {
        let (plain, clipped, _) = stepPair { _ in GradientClipping(mode: .adaptive, threshold: 1e-4) }
        let plainGradients = gradientValues(plain)
        let clippedGradients = gradientValues(clipped)
        #expect(clippedGradients["fc.weight"] == plainGradients["fc.weight"])
        #expect(clippedGradients["fc.bias"] == plainGradients["fc.bias"])
        #expect(relativeDifference(clippedGradients["conv1.weight"]!, plainGradients["conv1.weight"]!) > 0.5)
    }
}
