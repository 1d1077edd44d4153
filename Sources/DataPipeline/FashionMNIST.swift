import Foundation

/// Zalando's Fashion-MNIST: 70,000 grey 28×28 images of clothing in 10 classes.
///
/// Shapes: the training split holds 60,000 images, the test split 10,000, each
/// `28 × 28 × 1` bytes; labels are in `0..<10`. Hone's default job trains on it
/// because Debian packages it (`dataset-fashion-mnist`), so tests and the default
/// recipe run on real data without any download.
public enum FashionMNIST {
    /// Where Debian's `dataset-fashion-mnist` package installs the files.
    public static let defaultDirectory = URL(fileURLWithPath: "/usr/share/datasets/fashion-mnist", isDirectory: true)

    /// The Debian package that provides the files.
    public static let debianPackage = "dataset-fashion-mnist"

    /// The class names, indexed by label, as the data set's authors list them.
    public static let classNames = [
        "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
        "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
    ]

    /// The image and label file names of a split, as the data set ships them.
    public static func fileNames(for split: DatasetSplit) -> (images: String, labels: String) {
        switch split {
        case .train: return ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz")
        case .test: return ("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")
        }
    }

    /// Loads one split of Fashion-MNIST from `directory`.
    ///
    /// - Returns: `count × 28 × 28` grey pixels and `count` labels with the ten class names.
    /// - Throws: `IDXError`; a missing file's message says to install Debian's
    ///   `dataset-fashion-mnist` package.
    public static func load(split: DatasetSplit, directory: URL = defaultDirectory) throws(IDXError) -> LabeledImageSet {
        let names = fileNames(for: split)
        do throws(IDXError) {
            return try LabeledImageSet.load(
                imagesAt: directory.appendingPathComponent(names.images),
                labelsAt: directory.appendingPathComponent(names.labels),
                classNames: classNames
            )
        } catch {
            guard case let .missingFile(path, nil) = error else { throw error }
            throw .missingFile(
                path: path,
                suggestion: "install Debian's `\(debianPackage)` package: apt-get install \(debianPackage)"
            )
        }
    }
}
