import Foundation

/// A data set described as an index: where each sample's bytes are, its labels, and the class names.
///
/// Shapes: `count` samples; `targets` holds one label per sample (or a list per
/// sample when `isMultiLabel`), each in `0..<classNames.count`; `storage` says
/// where sample `i`'s bytes are. Every source (ImageFolder, list files, tar
/// shards, in-memory sets) produces this one value type, so the loader, the
/// samplers and the reports need not know where the data came from. It holds
/// flat arrays only (relative paths packed into one buffer plus one root), so an
/// ImageNet-sized index of 1.28 million samples is a few tens of megabytes and
/// cheap to copy or send to worker threads.
public struct SampleIndex: Equatable, Sendable {
    /// Where the samples' bytes are kept.
    public enum Storage: Equatable, Sendable {
        /// One file per sample: `paths[i]` relative to `root` (an absolute path is used as it is).
        case files(root: URL, paths: PackedStrings)
        /// One member per sample inside tar shards.
        case tarMembers(TarMemberTable)
        /// Sample `i` is image `i` of an in-memory `LabeledImageSet`.
        case memory(count: Int)

        /// Number of samples the storage describes.
        public var count: Int {
            switch self {
            case let .files(_, paths): return paths.count
            case let .tarMembers(table): return table.count
            case let .memory(count): return count
            }
        }
    }

    /// The most classes a loader infers from the largest label when no class names are given.
    ///
    /// Far above any real label space (ImageNet-21k has 21,841 classes), and it
    /// keeps a corrupt label such as 2,000,000,000 from allocating two billion
    /// class names: such a label throws instead.
    public static let inferredClassLimit = 1 << 20

    /// Where the samples' bytes are kept.
    public let storage: Storage
    /// The labels of every sample.
    public let targets: SampleTargets
    /// The name of each class, indexed by class id.
    public let classNames: [String]

    /// Wraps storage, targets and class names already validated.
    ///
    /// - Precondition: storage and targets describe the same number of samples
    ///   and every label indexes `classNames`; loaders of files validate their
    ///   input and throw instead.
    public init(storage: Storage, targets: SampleTargets, classNames: [String]) {
        precondition(storage.count == targets.count, "storage holds \(storage.count) samples but targets \(targets.count)")
        precondition(
            targets.values.allSatisfy { $0 >= 0 && Int($0) < classNames.count },
            "every label must index one of the \(classNames.count) class names"
        )
        self.storage = storage
        self.targets = targets
        self.classNames = classNames
    }

    /// An index over an in-memory set: sample `i` is `set.image(at: i)` with `set.labels[i]`.
    public init(describing set: LabeledImageSet) {
        self.init(storage: .memory(count: set.count), targets: SampleTargets(singleLabels: set.labels), classNames: set.classNames)
    }

    /// Number of samples.
    public var count: Int { targets.count }

    /// Whether samples carry lists of labels rather than exactly one.
    public var isMultiLabel: Bool { targets.isMultiLabel }

    /// Sample `index`: its location and labels.
    public func sample(at index: Int) -> ImageSample {
        ImageSample(location: location(at: index), labels: targets.labels(at: index))
    }

    /// Where sample `index`'s bytes are.
    public func location(at index: Int) -> SampleLocation {
        precondition(index >= 0 && index < count, "sample index \(index) is outside 0..<\(count)")
        switch storage {
        case let .files(root, paths):
            return .file(Self.resolve(paths[index], against: root))
        case let .tarMembers(table):
            return table.location(at: index)
        case .memory:
            return .memory(index: index)
        }
    }

    /// How many samples carry each class, indexed by class id (a multi-label sample counts once for each of its labels).
    public func countsPerClass() -> [Int] {
        var counts = [Int](repeating: 0, count: classNames.count)
        for label in targets.values {
            counts[Int(label)] += 1
        }
        return counts
    }

    /// The names of classes that no sample carries, in class-id order.
    ///
    /// An ImageFolder loaded with empty class folders allowed, or a class map
    /// naming classes absent from a split, reports them here so the caller can log them.
    public func classesWithoutSamples() -> [String] {
        zip(classNames, countsPerClass()).filter { $0.1 == 0 }.map(\.0)
    }

    /// A file path from the index joined to its root: relative paths are appended, absolute ones kept.
    static func resolve(_ path: String, against root: URL) -> URL {
        path.hasPrefix("/") ? URL(fileURLWithPath: path) : root.appendingPathComponent(path)
    }
}
