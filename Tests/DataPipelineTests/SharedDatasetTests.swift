import DataPipeline
import Foundation
import Testing
import TestSupport

/// Indexing the real CIFAR-10 JPEG ImageFolder from the shared data sets (skipped when the archive is absent).
@Suite(
    .enabled(
        if: SharedDatasets.hasCIFAR10JPEG,
        "needs \(SharedDatasets.cifar10JPEGArchiveName) in \(SharedDatasets.directory.path)"
    )
)
struct SharedDatasetTests {
    static let cifar10Classes = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"]

    /// Unpacking (first run only) can take several seconds; indexing 60,000 files takes well under a second in a release build.
    @Test func realCIFAR10ImageFolderHasTenBalancedClasses() throws {
        let root = try SharedDatasets.cifar10JPEGRoot.get()
        let clock = ContinuousClock()
        let start = clock.now
        let train = try ImageFolder.index(root: root.appendingPathComponent("train"))
        let test = try ImageFolder.index(root: root.appendingPathComponent("test"))
        let elapsed = clock.now - start
        print("indexed CIFAR-10 JPEG (\(train.count) + \(test.count) files) in \(elapsed)")

        #expect(train.classNames == Self.cifar10Classes)
        #expect(test.classNames == Self.cifar10Classes)
        #expect(train.count == 50_000)
        #expect(test.count == 10_000)
        #expect(train.countsPerClass() == Array(repeating: 5_000, count: 10))
        #expect(test.countsPerClass() == Array(repeating: 1_000, count: 10))
        #expect(!train.isMultiLabel)
        guard case let .files(_, paths) = train.storage else {
            Issue.record("an ImageFolder index stores files")
            return
        }
        #expect(paths.allSatisfy { $0.hasSuffix(".jpg") })
        #expect(paths[0].hasPrefix("airplane/"))
        #expect(paths[paths.count - 1].hasPrefix("truck/"))
        let first = train.sample(at: 0)
        guard case let .file(firstURL) = first.location else {
            Issue.record("expected a file location, found \(first.location)")
            return
        }
        let header = try [UInt8](Data(contentsOf: firstURL).prefix(3))
        #expect(header == [0xFF, 0xD8, 0xFF])
        #expect(first.label == 0)
    }
}
