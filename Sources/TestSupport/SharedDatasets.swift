import DataPipeline
import Foundation

/// Locates the project's shared data sets and unpacks them once into the data-set cache for tests.
///
/// The shared folder is `$HONE_SHARED_DATASETS` when set, else `../shared/datasets`
/// next to the repository (found from this file's path), else `/work/shared/datasets`.
/// Tests that need an archive are enabled only when it exists, so CI and
/// checkouts without the shared folder skip them with a message instead of failing.
public enum SharedDatasets {
    /// The file name of CIFAR-10 as an ImageFolder of JPEGs.
    public static let cifar10JPEGArchiveName = "cifar10-jpeg.tar.gz"

    /// The shared data-set folder, by the rule on the type.
    public static let directory: URL = {
        if let configured = ProcessInfo.processInfo.environment["HONE_SHARED_DATASETS"], !configured.isEmpty {
            return URL(fileURLWithPath: configured, isDirectory: true)
        }
        let repositoryRoot = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent()
            .deletingLastPathComponent()
            .deletingLastPathComponent()
        let besideRepository = repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/datasets", isDirectory: true)
        if FileManager.default.fileExists(atPath: besideRepository.path) {
            return besideRepository
        }
        return URL(fileURLWithPath: "/work/shared/datasets", isDirectory: true)
    }()

    /// Where the CIFAR-10 JPEG archive would be.
    public static var cifar10JPEGArchive: URL {
        directory.appendingPathComponent(cifar10JPEGArchiveName)
    }

    /// Whether the CIFAR-10 JPEG archive is at hand.
    public static var hasCIFAR10JPEG: Bool {
        FileManager.default.fileExists(atPath: cifar10JPEGArchive.path)
    }

    /// The unpacked `cifar10` folder (holding `train/` and `test/`), unpacked once per cache, shared by all tests of a run.
    public static let cifar10JPEGRoot: Result<URL, DatasetCacheError> = Result { () throws(DatasetCacheError) -> URL in
        try DatasetCache()
            .unpacked(archive: cifar10JPEGArchive, name: "cifar10-jpeg")
            .appendingPathComponent("cifar10", isDirectory: true)
    }
}
