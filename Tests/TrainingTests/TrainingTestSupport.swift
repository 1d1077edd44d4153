import CPUBackend
import Foundation
import Interop
import Recipes
import TensorCore
import Testing
import Training

/// The CPU backend the training tests run on, with two threads so results are reproducible.
let trainingBackend: CPUBackend = {
    let backend = CPUBackend(threads: 2)
    Compute.use(backend)
    return backend
}()

/// A tiny Fashion-MNIST recipe: a narrow ResNet-18 on 96 training and 50 test images, 6 steps per epoch.
///
/// Drop path is on so that the model's own random generator matters for resuming.
func tinyRecipe(_ extra: [String] = []) throws -> Recipe {
    try RecipeLoader(knownModels: []).load(file: nil, overrides: [
        "model.name=resnet18", "model.stem=small-image", "model.width=0.125", "model.drop_path_rate=0.1",
        "model.zero_init_residual=true", "data.batch_size=16", "data.eval_batch_size=20", "data.train_limit=96",
        "data.eval_limit=50", "data.workers=1", "schedule.epochs=2", "schedule.warmup_epochs=0.5",
        "optimizer.lr_base_batch=16", "loss.label_smoothing=0.1", "run.threads=2",
    ] + extra)
}

/// A fresh, empty folder under the temporary directory, removed by the caller.
func temporaryFolder(_ name: String) throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("hone-\(name)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// A display that keeps quiet (tests read the run folder instead).
func silentDisplay() -> ProgressDisplay {
    ProgressDisplay(isTerminal: false, output: { _ in })
}

/// Expects two weight files to hold the same names and bit-identical tensors and counters.
func expectIdenticalWeights(_ expected: SafeTensors, _ actual: SafeTensors, after what: String) {
    #expect(expected.names == actual.names)
    for name in expected.names {
        if let tensor = expected[name] {
            #expect(tensor.scalars == actual[name]?.scalars, "\(name) differs after \(what)")
        } else {
            #expect(expected.integers(named: name) == actual.integers(named: name), "\(name) differs after \(what)")
        }
    }
}
