/// Which part of a data set to load: the examples to train on or the held-out ones.
///
/// An enum rather than a Bool or a file-name string so that each data set maps a
/// split to its own file names in one place (Fashion-MNIST's `train-` and `t10k-`).
public enum DatasetSplit: String, CaseIterable, Sendable {
    /// The training examples (60,000 for Fashion-MNIST).
    case train
    /// The held-out test examples (10,000 for Fashion-MNIST).
    case test
}
