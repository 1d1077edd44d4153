import Experiments
import Foundation

/// A fresh, empty folder under the temporary directory, removed by the caller.
func temporaryFolder(_ name: String) throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("hone-\(name)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// Writes `text` to `name` in `folder` and returns the file.
@discardableResult
func write(_ text: String, to name: String, in folder: URL) throws -> URL {
    let url = folder.appendingPathComponent(name)
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(text.utf8).write(to: url)
    return url
}

/// A tiny Fashion-MNIST recipe: a quarter-width ResNet-18 on 24 training and 16 test images, one epoch of 3 steps.
let tinyRecipeYAML = """
    model:
      name: resnet18
      stem: small-image
      width: 0.25
    data:
      batch_size: 8
      eval_batch_size: 16
      train_limit: 24
      eval_limit: 16
      workers: 1
    optimizer:
      lr_base_batch: 8
    schedule:
      epochs: 1
      warmup_epochs: 0
    run:
      threads: 2
    """
