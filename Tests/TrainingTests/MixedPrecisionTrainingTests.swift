import CPUBackend
import Foundation
import Recipes
import Testing
import Training

/// A `precision: bf16` recipe trains on every CPU: in bfloat16 where oneDNN has the kernels, in f32 (and saying so) where not.
@Suite struct MixedPrecisionTrainingTests {
    @Test func bf16FallsBackToF32ExactlyWhereTheBackendHasNoBFloat16Kernels() {
        _ = trainingBackend
        let bf16 = Recipe.Run.Precision.bf16
        #expect(bf16.available == (CPUBackend.hasBFloat16Kernels ? .bf16 : .f32))
        #expect((bf16.fallbackNote == nil) == CPUBackend.hasBFloat16Kernels)
        #expect(Recipe.Run.Precision.f32.available == .f32)
        #expect(Recipe.Run.Precision.f32.fallbackNote == nil)
        #expect(bf16.computeType == (CPUBackend.hasBFloat16Kernels ? .bfloat16 : .float32))
        #expect(Recipe.Run.Precision.f32.computeType == .float32)
    }

    @Test func aBFloat16RecipeTrainsAndItsLogSaysWhatItComputedIn() throws {
        _ = trainingBackend
        let folder = try temporaryFolder("bf16")
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try Trainer(recipe: try tinyRecipe(["run.precision=bf16", "schedule.epochs=1"]),
                                 folder: RunFolder(url: folder), resume: false,
                                 stopRequest: StopRequest(listensToSignals: false), display: silentDisplay()).run()
        let evaluation = try #require(result.finalEvaluation)
        #expect(evaluation.count == 50)
        #expect(evaluation.loss.isFinite)
        let log = try String(contentsOf: folder.appendingPathComponent("log.txt"), encoding: .utf8)
        #expect(log.contains("computing in f32") == !CPUBackend.hasBFloat16Kernels, "\(log)")
    }
}
