import Autodiff
import Foundation
import Interop
import Layers
import Models
import Recipes
import TensorCore

/// A trained model loaded from a checkpoint to teach a student: its logits, in evaluation mode, without gradients.
///
/// Shapes: images [N, C, H, W] f32 → logits [N, classes] f32 (plain). The teacher's
/// architecture comes from its own run's `recipe.yaml`, its weights from the checkpoint
/// (`CheckpointLocation` reads the path as `hone eval --checkpoint` does); it sees the
/// student's augmented, standardised images, so it should have been trained on the same
/// data. Batch norm uses running statistics and drop path and dropout are off; a
/// batch-norm ResNet runs folded (`InferenceResNet`), in the student's precision.
public final class TeacherModel: DistillationTeacher {
    /// Where the weights and the recipe were found.
    public let location: CheckpointLocation
    /// The number of classes the teacher predicts.
    public let classes: Int
    let model: ResNet
    let folded: InferenceResNet?
    let precision: Recipe.Run.Precision

    /// Loads the teacher at `path` for a student with `classes` classes and `inputChannels`-channel images.
    public init(path: String, classes: Int, inputChannels: Int,
                precision: Recipe.Run.Precision) throws(TeacherModelError) {
        do {
            location = try CheckpointLocation(path: path)
        } catch {
            throw .location(error)
        }
        let weightsPath = location.weights.path
        guard let recipeURL = location.recipe else { throw .noRecipe(weights: weightsPath) }
        let recipe: Recipe
        do {
            recipe = try RecipeLoader(knownModels: ModelRegistry.ids).load(file: recipeURL, overrides: [])
        } catch {
            throw .recipe(error)
        }
        let file: SafeTensors
        do {
            file = try SafeTensors(contentsOf: location.weights)
        } catch {
            throw .unreadable(file: weightsPath, reason: error.description)
        }
        if let head = file["fc.weight"], head.shape.rank == 2, head.shape[0] != classes {
            throw .classCount(file: weightsPath, found: head.shape[0], expected: classes)
        }
        do {
            model = try ModelFactory.makeModel(recipe: recipe, classes: classes, inputChannels: inputChannels)
        } catch {
            throw .incompatible(file: recipeURL.path, reason: error.description)
        }
        let report: StateDictionary.LoadReport
        do {
            report = try StateDictionary.load(file, into: model, source: weightsPath)
        } catch {
            throw .incompatible(file: weightsPath, reason: error.description)
        }
        guard report.missing.isEmpty else {
            throw .incompatible(file: weightsPath, reason: "no tensors for \(report.missing.joined(separator: ", ")) "
                + "(expected the weights of the \(recipe.model.name) that \(recipeURL.path) describes)")
        }
        model.setTraining(false)
        self.classes = classes
        self.precision = precision
        folded = try? InferenceResNet(model, dtype: precision.computeType)
    }

    public func logits(images: Tensor) -> Tensor {
        withoutGradients {
            let output: Tensor
            if let folded {
                output = folded(images)
            } else {
                let input = convert(Variable(images), to: precision.computeType)
                output = convert(model(input), to: .float32).value
            }
            return Compute.backend.reorder(output, to: .plain)
        }
    }
}

/// Why a distillation teacher could not be loaded; each case names the file and what was expected.
public enum TeacherModelError: Error, CustomStringConvertible, Equatable {
    case location(CheckpointLocationError)
    case noRecipe(weights: String)
    case recipe(RecipeError)
    case unreadable(file: String, reason: String)
    case classCount(file: String, found: Int, expected: Int)
    case incompatible(file: String, reason: String)

    public var description: String {
        let key = "loss.distillation_teacher: "
        return switch self {
        case .location(let error):
            key + error.description
        case .noRecipe(let weights):
            key + "\(weights): no recipe.yaml next to it or in its run folder (expected the recipe that built the teacher)"
        case .recipe(let error):
            key + "the teacher's recipe: \(error.description)"
        case let .unreadable(file, reason):
            key + "\(file): cannot read it: \(reason)"
        case let .classCount(file, found, expected):
            key + "\(file): the teacher predicts \(found) classes but the student's data has \(expected); "
                + "expected a teacher trained on the same classes"
        case let .incompatible(file, reason):
            key + "\(file): \(reason)"
        }
    }
}
