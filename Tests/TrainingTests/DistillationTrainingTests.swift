import Foundation
import Interop
import Recipes
import TensorCore
import Testing
import Training

/// A student trains against a teacher loaded from a real run folder; a bad teacher is refused naming its file.
@Suite(.serialized) struct DistillationTrainingTests {
    /// Two steps of one epoch on 32 images, evaluated on 20.
    static let short = ["schedule.epochs=1", "data.train_limit=32", "data.eval_limit=20", "schedule.warmup_epochs=0"]

    /// A finished teacher run, wider than the students, so only its own recipe can rebuild it.
    static let teacherRun: Result<URL, Error> = Result {
        _ = trainingBackend
        let folder = try temporaryFolder("teacher")
        let recipe = try tinyRecipe(short + ["model.width=0.25", "seed=7"])
        _ = try Trainer(recipe: recipe, folder: RunFolder(url: folder), resume: false,
                        stopRequest: StopRequest(listensToSignals: false), display: silentDisplay()).run()
        return folder
    }

    func train(_ recipe: Recipe) throws -> (result: Trainer.Result, weights: SafeTensors) {
        let folder = try temporaryFolder("student")
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = RunFolder(url: folder)
        let result = try Trainer(recipe: recipe, folder: run, resume: false,
                                 stopRequest: StopRequest(listensToSignals: false), display: silentDisplay()).run()
        return (result, try SafeTensors(contentsOf: run.checkpoints.modelURL(.last)))
    }

    @Test func studentTrainsAgainstATeacherRunAndTheTeacherChangesItsWeights() throws {
        let teacher = try Self.teacherRun.get()
        let alone = try train(try tinyRecipe(Self.short))
        let taught = try train(try tinyRecipe(Self.short + [
            "loss.distillation_teacher=\(teacher.path)", "loss.distillation_alpha=0.5",
            "loss.distillation_temperature=2",
        ]))
        #expect(taught.result.steps == 2 && alone.result.steps == 2)
        #expect(taught.result.finalEvaluation != nil)
        #expect(taught.weights.names == alone.weights.names)
        let changed = taught.weights.names.contains { name in
            guard let tensor = taught.weights[name] else { return false }
            return tensor.scalars != alone.weights[name]?.scalars
        }
        #expect(changed, "the teacher did not change a single weight")
    }

    /// A run folder, its best checkpoint's folder and that folder's model.safetensors name the same teacher.
    @Test func everyWayOfNamingTheTeacherLoadsTheSameWeights() throws {
        let folder = try Self.teacherRun.get()
        let best = folder.appendingPathComponent("checkpoints/best")
        let images = Tensor(shape: [2, 1, 28, 28], scalars: (0..<(2 * 28 * 28)).map { Float($0 % 17) / 8 - 1 })
        var answers: [[Float]] = []
        for path in [folder.path, best.path, best.appendingPathComponent("model.safetensors").path] {
            let teacher = try TeacherModel(path: path, classes: 10, inputChannels: 1, precision: .f32)
            #expect(teacher.location.weights.path == best.appendingPathComponent("model.safetensors").path)
            #expect(teacher.location.recipe?.path == RunFolder(url: folder).recipeURL.path)
            answers.append(teacher.logits(images: images).scalars)
        }
        #expect(answers[0].count == 20)
        #expect(answers[0].contains { $0 != answers[0][0] })
        #expect(answers[1] == answers[0] && answers[2] == answers[0])
    }

    @Test func missingTeacherIsRefusedNamingThePath() throws {
        let missing = FileManager.default.temporaryDirectory.appendingPathComponent("hone-no-such-teacher").path
        let recipe = try tinyRecipe(["loss.distillation_teacher=\(missing)"])
        do throws(ObjectiveFactoryError) {
            _ = try ObjectiveFactory.makeObjective(recipe: recipe, classes: 10, inputChannels: 1)
            Issue.record("a missing teacher was accepted")
        } catch {
            #expect(error == .teacher(.location(.notFound(path: missing))))
            #expect(error.description.hasPrefix("loss.distillation_teacher: \(missing): no such file or folder"))
        }
    }

    @Test func teacherWithOtherClassesIsRefusedNamingItsWeights() throws {
        let folder = try Self.teacherRun.get()
        let weights = folder.appendingPathComponent("checkpoints/best/model.safetensors").path
        #expect(throws: TeacherModelError.classCount(file: weights, found: 10, expected: 5)) {
            _ = try TeacherModel(path: folder.path, classes: 5, inputChannels: 1, precision: .f32)
        }
        let message = TeacherModelError.classCount(file: weights, found: 10, expected: 5).description
        #expect(message.contains(weights) && message.contains("10 classes") && message.contains("has 5"))
    }

    @Test func teacherForOtherImagesIsRefusedNamingItsWeights() throws {
        let folder = try Self.teacherRun.get()
        do throws(TeacherModelError) {
            _ = try TeacherModel(path: folder.path, classes: 10, inputChannels: 3, precision: .f32)
            Issue.record("a one-channel teacher was accepted for three-channel images")
        } catch {
            guard case .incompatible(let file, let reason) = error else { throw error }
            #expect(file.hasSuffix("checkpoints/best/model.safetensors"))
            #expect(reason.contains("the model expects"), "\(reason)")
        }
    }

    @Test func teacherWithoutARecipeOrWithUnreadableWeightsIsRefusedNamingTheFile() throws {
        let run = try Self.teacherRun.get()
        let folder = try temporaryFolder("lone-weights")
        defer { try? FileManager.default.removeItem(at: folder) }
        let weights = folder.appendingPathComponent("model.safetensors")
        try FileManager.default.copyItem(at: run.appendingPathComponent("checkpoints/best/model.safetensors"), to: weights)
        #expect(throws: TeacherModelError.noRecipe(weights: weights.path)) {
            _ = try TeacherModel(path: folder.path, classes: 10, inputChannels: 1, precision: .f32)
        }
        try FileManager.default.copyItem(at: RunFolder(url: run).recipeURL,
                                         to: folder.appendingPathComponent("recipe.yaml"))
        _ = try TeacherModel(path: weights.path, classes: 10, inputChannels: 1, precision: .f32)
        try Data("not a safetensors file".utf8).write(to: weights)
        do throws(TeacherModelError) {
            _ = try TeacherModel(path: weights.path, classes: 10, inputChannels: 1, precision: .f32)
            Issue.record("unreadable weights were accepted")
        } catch {
            guard case .unreadable(let file, _) = error else { throw error }
            #expect(file == weights.path)
            #expect(error.description.hasPrefix("loss.distillation_teacher: \(weights.path): cannot read it"))
        }
        let empty = try temporaryFolder("empty-teacher")
        defer { try? FileManager.default.removeItem(at: empty) }
        #expect(throws: TeacherModelError.location(.noWeights(folder: empty.path))) {
            _ = try TeacherModel(path: empty.path, classes: 10, inputChannels: 1, precision: .f32)
        }
    }
}
