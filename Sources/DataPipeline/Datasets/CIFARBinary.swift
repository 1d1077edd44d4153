import Foundation

/// Reads CIFAR-10 and CIFAR-100 in their binary release format into memory.
///
/// Layout of a batch file: fixed-size records, one per image, no header.
/// CIFAR-10 (`data_batch_1.bin` … `data_batch_5.bin`, `test_batch.bin`): one
/// label byte, then 3,072 pixel bytes. CIFAR-100 (`train.bin`, `test.bin`): a
/// coarse label byte (20 superclasses), a fine label byte (100 classes), then
/// 3,072 pixel bytes. The pixels are three 32×32 planes, red then green then
/// blue, each row-major; they are interleaved here into HWC order (the layout of
/// `ByteImage` and `LabeledImageSet`), so CIFAR feeds the same loader as Fashion-MNIST.
public enum CIFARBinary {
    /// Which data set the records come from and, for CIFAR-100, which label to keep.
    public enum LabelSet: Equatable, Sendable, CaseIterable {
        /// CIFAR-10: one label in `0..<10`.
        case cifar10
        /// CIFAR-100's 20 superclasses (the first label byte).
        case cifar100Coarse
        /// CIFAR-100's 100 classes (the second label byte).
        case cifar100Fine

        /// Bytes per record: the label bytes and 3,072 pixel bytes.
        public var recordSize: Int { labelBytes + CIFARBinary.pixelsPerImage }

        /// How many label bytes precede the pixels.
        public var labelBytes: Int { self == .cifar10 ? 1 : 2 }

        /// Which label byte of a record to keep.
        public var labelByteOffset: Int { self == .cifar100Fine ? 1 : 0 }

        /// Number of classes.
        public var classCount: Int {
            switch self {
            case .cifar10: return 10
            case .cifar100Coarse: return 20
            case .cifar100Fine: return 100
            }
        }

        /// The file of the release that names the classes, one per line.
        public var classNamesFileName: String {
            switch self {
            case .cifar10: return "batches.meta.txt"
            case .cifar100Coarse: return "coarse_label_names.txt"
            case .cifar100Fine: return "fine_label_names.txt"
            }
        }

        /// The batch files of a split, as the binary release names them.
        public func batchFileNames(for split: DatasetSplit) -> [String] {
            switch (self, split) {
            case (.cifar10, .train): return (1...5).map { "data_batch_\($0).bin" }
            case (.cifar10, .test): return ["test_batch.bin"]
            case (_, .train): return ["train.bin"]
            case (_, .test): return ["test.bin"]
            }
        }
    }

    /// Image side in pixels.
    public static let side = 32
    /// Pixel bytes per image: 32 × 32 × 3.
    public static let pixelsPerImage = side * side * 3

    /// CIFAR-10's class names, indexed by label, as `batches.meta.txt` lists them.
    public static let cifar10ClassNames = [
        "airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck",
    ]

    /// Loads one split from the folder of the binary release (`cifar-10-batches-bin` or `cifar-100-binary`).
    ///
    /// Class names come from the release's names file when it is present;
    /// otherwise CIFAR-10 uses `cifar10ClassNames` and CIFAR-100 names each class by its index.
    /// - Throws: `CIFARBinaryError` naming the file at fault.
    public static func load(split: DatasetSplit, directory: URL, labelSet: LabelSet) throws(CIFARBinaryError) -> LabeledImageSet {
        let namesURL = directory.appendingPathComponent(labelSet.classNamesFileName)
        let classNames: [String]
        if FileManager.default.fileExists(atPath: namesURL.path) {
            classNames = try readClassNames(contentsOf: namesURL, labelSet: labelSet)
        } else {
            classNames = labelSet == .cifar10 ? cifar10ClassNames : (0..<labelSet.classCount).map(String.init)
        }
        let files = labelSet.batchFileNames(for: split).map { directory.appendingPathComponent($0) }
        return try read(batchFiles: files, labelSet: labelSet, classNames: classNames)
    }

    /// Reads batch files one after another into one set.
    ///
    /// - Returns: `count × 32 × 32 × 3` HWC pixels and `count` labels.
    /// - Throws: `CIFARBinaryError` for a missing, empty or truncated file (with
    ///   the byte offset of the incomplete record) or a label out of range.
    /// - Precondition: `classNames` holds `labelSet.classCount` names.
    public static func read(batchFiles: [URL], labelSet: LabelSet, classNames: [String]) throws(CIFARBinaryError)
        -> LabeledImageSet
    {
        precondition(
            classNames.count == labelSet.classCount,
            "\(labelSet) needs \(labelSet.classCount) class names, got \(classNames.count)"
        )
        var pixels: [UInt8] = []
        var labels: [Int32] = []
        for url in batchFiles {
            let bytes = try contents(of: url)
            try decodeRecords(bytes, path: url.path, labelSet: labelSet, pixels: &pixels, labels: &labels)
        }
        return LabeledImageSet(height: side, width: side, channels: 3, pixels: pixels, labels: labels, classNames: classNames)
    }

    /// Reads a names file: one class name per line, blank lines ignored (the release ends them with blank lines).
    ///
    /// - Throws: `CIFARBinaryError.classNameCount` when the file does not list `labelSet.classCount` names.
    public static func readClassNames(contentsOf url: URL, labelSet: LabelSet) throws(CIFARBinaryError) -> [String] {
        let bytes = try contents(of: url)
        let names = String(decoding: bytes, as: UTF8.self)
            .split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
        guard names.count == labelSet.classCount else {
            throw .classNameCount(path: url.path, expected: labelSet.classCount, found: names.count)
        }
        return names
    }

    /// Appends the records of one batch file, converting planes to HWC.
    private static func decodeRecords(
        _ bytes: [UInt8], path: String, labelSet: LabelSet, pixels: inout [UInt8], labels: inout [Int32]
    ) throws(CIFARBinaryError) {
        guard !bytes.isEmpty else {
            throw .emptyFile(path: path, recordSize: labelSet.recordSize)
        }
        let recordSize = labelSet.recordSize
        let recordCount = bytes.count / recordSize
        guard bytes.count % recordSize == 0 else {
            throw .truncatedRecord(
                path: path, record: recordCount, offset: recordCount * recordSize,
                expectedBytes: recordSize, foundBytes: bytes.count % recordSize
            )
        }
        let planeSize = side * side
        pixels.reserveCapacity(pixels.count + recordCount * pixelsPerImage)
        labels.reserveCapacity(labels.count + recordCount)
        for record in 0..<recordCount {
            let start = record * recordSize
            let label = bytes[start + labelSet.labelByteOffset]
            guard Int(label) < labelSet.classCount else {
                throw .labelOutOfRange(
                    path: path, record: record, offset: start + labelSet.labelByteOffset,
                    label: Int(label), classCount: labelSet.classCount
                )
            }
            labels.append(Int32(label))
            let planes = start + labelSet.labelBytes
            for position in 0..<planeSize {
                pixels.append(bytes[planes + position])
                pixels.append(bytes[planes + planeSize + position])
                pixels.append(bytes[planes + 2 * planeSize + position])
            }
        }
    }

    /// The whole file at `url`, or an error naming it.
    private static func contents(of url: URL) throws(CIFARBinaryError) -> [UInt8] {
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw .missingFile(path: url.path)
        }
        do {
            return [UInt8](try Data(contentsOf: url))
        } catch {
            throw .unreadableFile(path: url.path, reason: error.localizedDescription)
        }
    }
}
