import Autodiff
import Recipes
import TensorCore
import Testing
import Training

/// Binary cross-entropy and distillation objectives against timm/PyTorch, and what their switches change.
@Suite struct ObjectiveTests {
    let fixture: ObjectiveFixture

    init() throws {
        _ = trainingBackend
        fixture = try ObjectiveFixture.load()
    }

    /// The loss of `objective` on the fixture's logits for `fixtureCase`'s batch, and its gradient.
    func lossAndGradient(_ objective: any TrainingObjective,
                         _ fixtureCase: ObjectiveFixture.Case) throws -> (loss: Double, gradient: [Float]) {
        let logits = Variable(fixture.logitsTensor, requiresGradient: true)
        let loss = objective.loss(logits: logits, batch: fixture.batch(for: fixtureCase))
        #expect(loss.shape == [])
        loss.backward()
        return (Double(loss.value.scalars[0]), try #require(logits.gradient).scalars)
    }

    /// Records an issue unless the loss is within 1e-5 of the reference and every gradient entry within 1e-5 of the largest.
    func expectMatches(_ objective: any TrainingObjective, _ name: String) throws {
        let fixtureCase = try fixture.case(name)
        let (loss, gradient) = try lossAndGradient(objective, fixtureCase)
        #expect(abs(loss - fixtureCase.loss) <= 1e-5 * abs(fixtureCase.loss), "\(name): \(loss) vs \(fixtureCase.loss)")
        #expect(gradient.count == fixtureCase.gradient.count)
        let scale = fixtureCase.gradient.map(abs).max() ?? 0
        let worst = zip(gradient, fixtureCase.gradient).map { abs(Double($0) - $1) }.max() ?? .infinity
        #expect(worst <= 1e-5 * scale, "\(name) gradient: worst difference \(worst), largest entry \(scale)")
    }

    @Test(arguments: ["bce.labels", "bce.labels.smooth0.1", "bce.labels.smooth0.1.threshold0.2", "bce.soft",
                      "bce.soft.threshold0.2"])
    func binaryCrossEntropyMatchesTimm(name: String) throws {
        let fixtureCase = try fixture.case(name)
        #expect(fixtureCase.alpha == nil && fixtureCase.hard == "bce")
        try expectMatches(fixture.hardObjective(for: fixtureCase), name)
    }

    /// Smoothing on hard labels moves the targets off 0 and 1, so it changes the loss; mixup targets are left as they come.
    @Test func labelSmoothingAppliesToLabelsButNotToSoftTargets() throws {
        let labels = try fixture.case("bce.labels")
        let plain = try lossAndGradient(BinaryCrossEntropyObjective(labelSmoothing: 0), labels).loss
        let smoothed = try lossAndGradient(BinaryCrossEntropyObjective(labelSmoothing: 0.1), labels).loss
        #expect(abs(plain - smoothed) > 1e-4)
        let soft = try fixture.case("bce.soft")
        let softPlain = try lossAndGradient(BinaryCrossEntropyObjective(labelSmoothing: 0), soft).loss
        let softSmoothed = try lossAndGradient(BinaryCrossEntropyObjective(labelSmoothing: 0.3), soft).loss
        #expect(softPlain == softSmoothed)
    }

    @Test func targetThresholdChangesTheLossOfMixedTargets() throws {
        let soft = try fixture.case("bce.soft")
        let kept = try lossAndGradient(BinaryCrossEntropyObjective(), soft)
        let binarised = try lossAndGradient(BinaryCrossEntropyObjective(targetThreshold: 0.2), soft)
        #expect(abs(kept.loss - binarised.loss) > 1e-3)
        #expect(kept.gradient != binarised.gradient)
        let everything = try lossAndGradient(BinaryCrossEntropyObjective(targetThreshold: 0), soft)
        #expect(abs(everything.loss - binarised.loss) > 1e-3, "a threshold of 0 makes every target 1")
    }

    @Test(arguments: ["distill.ce.smooth0.1.alpha0.5.t1", "distill.ce.alpha0.7.t4", "distill.ce.soft.alpha0.25.t2",
                      "distill.bce.soft.threshold0.2.alpha0.5.t2", "distill.ce.alpha1.t3"])
    func distillationMatchesTimm(name: String) throws {
        let fixtureCase = try fixture.case(name)
        let alpha = try #require(fixtureCase.alpha)
        let objective = DistillationObjective(hard: fixture.hardObjective(for: fixtureCase),
                                              teacher: FixedTeacher(fixture.teacherTensor), alpha: Float(alpha),
                                              temperature: Float(fixtureCase.temperature))
        try expectMatches(objective, name)
    }

    @Test func alphaZeroIsTheHardLossAndAlphaAboveZeroIsNot() throws {
        let fixtureCase = try fixture.case("distill.ce.smooth0.1.alpha0.5.t1")
        let hard = fixture.hardObjective(for: fixtureCase)
        let alone = try lossAndGradient(hard, fixtureCase)
        let teacher = FixedTeacher(fixture.teacherTensor)
        let off = try lossAndGradient(DistillationObjective(hard: hard, teacher: teacher, alpha: 0, temperature: 2),
                                      fixtureCase)
        #expect(off.loss == alone.loss)
        #expect(off.gradient == alone.gradient)
        for alpha: Float in [0.1, 0.5, 1] {
            let on = try lossAndGradient(DistillationObjective(hard: hard, teacher: teacher, alpha: alpha,
                                                               temperature: 2), fixtureCase)
            #expect(abs(on.loss - alone.loss) > 1e-3, "alpha \(alpha)")
            #expect(on.gradient != alone.gradient, "alpha \(alpha)")
        }
    }

    /// A teacher that agrees with the student adds nothing: what is left is (1 − α) times the hard loss.
    @Test func aTeacherThatAgreesWithTheStudentAddsNothing() throws {
        let fixtureCase = try fixture.case("distill.ce.alpha0.7.t4")
        let hard = fixture.hardObjective(for: fixtureCase)
        let alone = try lossAndGradient(hard, fixtureCase).loss
        let mirror = DistillationObjective(hard: hard, teacher: FixedTeacher(fixture.logitsTensor), alpha: 0.7,
                                           temperature: 4)
        #expect(abs(try lossAndGradient(mirror, fixtureCase).loss - 0.3 * alone) < 1e-5)
    }

    /// The teacher runs once per loss, on the batch's images, with gradient recording off.
    @Test func teacherRunsOncePerStepWithoutRecordingGradients() throws {
        final class WatchingTeacher: DistillationTeacher {
            let answer: Tensor
            var recordingSeen: [Bool] = []
            var imageShapes: [Shape] = []
            init(_ answer: Tensor) { self.answer = answer }
            func logits(images: Tensor) -> Tensor {
                recordingSeen.append(GradientMode.isEnabled)
                imageShapes.append(images.shape)
                return answer
            }
        }
        let fixtureCase = try fixture.case("distill.ce.alpha0.7.t4")
        let teacher = WatchingTeacher(fixture.teacherTensor)
        let objective = DistillationObjective(hard: CrossEntropyObjective(), teacher: teacher, alpha: 0.7, temperature: 4)
        _ = try lossAndGradient(objective, fixtureCase)
        _ = try lossAndGradient(objective, fixtureCase)
        #expect(teacher.recordingSeen == [false, false])
        #expect(teacher.imageShapes == [[fixture.rows, 1, 1, 1], [fixture.rows, 1, 1, 1]])
    }

    @Test func factoryBuildsTheObjectiveTheRecipeNames() throws {
        let fixtureCase = try fixture.case("bce.labels.smooth0.1")
        let bce = try ObjectiveFactory.makeObjective(
            recipe: try tinyRecipe(["loss.name=bce", "loss.label_smoothing=0.1"]), classes: 10, inputChannels: 1)
        #expect(bce is BinaryCrossEntropyObjective)
        try expectMatches(bce, "bce.labels.smooth0.1")
        let thresholded = try ObjectiveFactory.makeObjective(
            recipe: try tinyRecipe(["loss.name=bce", "loss.label_smoothing=0", "loss.bce_target_threshold=0.2"]),
            classes: 10, inputChannels: 1)
        try expectMatches(thresholded, "bce.soft.threshold0.2")
        let crossEntropy = try ObjectiveFactory.makeObjective(recipe: try tinyRecipe(), classes: 10, inputChannels: 1)
        #expect(crossEntropy is CrossEntropyObjective)
        #expect(try lossAndGradient(crossEntropy, fixtureCase).loss != fixtureCase.loss)
    }

    @Test func thresholdWithSoftmaxCrossEntropyIsRefusedNamingTheKey() throws {
        #expect(throws: ObjectiveFactoryError.thresholdWithoutBinaryCrossEntropy(threshold: 0.2)) {
            _ = try ObjectiveFactory.makeObjective(recipe: try tinyRecipe(["loss.bce_target_threshold=0.2"]),
                                                   classes: 10, inputChannels: 1)
        }
        let message = ObjectiveFactoryError.thresholdWithoutBinaryCrossEntropy(threshold: 0.2).description
        #expect(message.hasPrefix("loss.bce_target_threshold:") && message.contains("loss.name: bce"))
    }
}
