import Foundation

/// A set of same-sized 8-bit images, each with an integer class label, held in memory.
///
/// Shapes: `pixels` holds `count × height × width × channels` bytes, row-major
/// with channels innermost (for grey images, `count × height × width`);
/// `labels` holds `count` class indices, each in `0..<classNames.count`.
/// Small data sets such as Fashion-MNIST fit in memory whole (47 MB), so one flat
/// byte array keeps batching a matter of slicing, with no per-image objects.
public struct LabeledImageSet: Equatable, Sendable {
    /// Number of examples.
    public let count: Int
    /// Rows per image.
    public let height: Int
    /// Columns per image.
    public let width: Int
    /// Channels per pixel; 1 for grey images.
    public let channels: Int
    /// All pixels, `count × height × width × channels`, row-major.
    public let pixels: [UInt8]
    /// The class index of each example, `count` of them.
    public let labels: [Int32]
    /// Human-readable name of each class, indexed by label.
    public let classNames: [String]

    /// Wraps images and labels already in memory.
    ///
    /// - Precondition: the array sizes agree with the shape and every label
    ///   indexes `classNames`; files are validated by `load(imagesAt:labelsAt:classNames:)`
    ///   instead, which throws.
    public init(height: Int, width: Int, channels: Int, pixels: [UInt8], labels: [Int32], classNames: [String]) {
        precondition(height >= 0 && width >= 0 && channels > 0, "image sides must be non-negative and channels positive")
        precondition(
            pixels.count == labels.count * height * width * channels,
            "\(labels.count) images of \(height)×\(width)×\(channels) need "
                + "\(labels.count * height * width * channels) pixels, got \(pixels.count)"
        )
        precondition(
            labels.allSatisfy { $0 >= 0 && Int($0) < classNames.count },
            "every label must index one of the \(classNames.count) class names"
        )
        self.count = labels.count
        self.height = height
        self.width = width
        self.channels = channels
        self.pixels = pixels
        self.labels = labels
        self.classNames = classNames
    }

    /// Bytes in one image: `height × width × channels`.
    public var pixelsPerImage: Int { height * width * channels }

    /// The pixels of the image at `index`, `height × width × channels` bytes.
    ///
    /// A slice, not a copy, so a loader can gather a batch without allocating per image.
    public func image(at index: Int) -> ArraySlice<UInt8> {
        precondition(index >= 0 && index < count, "image index \(index) is outside 0..<\(count)")
        let start = index * pixelsPerImage
        return pixels[start..<(start + pixelsPerImage)]
    }

    /// How many examples carry each label, indexed by label.
    ///
    /// Used to check class balance (Fashion-MNIST's training set has 6,000 per class).
    public func countsPerClass() -> [Int] {
        var counts = [Int](repeating: 0, count: classNames.count)
        for label in labels {
            counts[Int(label)] += 1
        }
        return counts
    }

    /// Loads a pair of IDX files: grey images `[N, H, W]` and labels `[N]`.
    ///
    /// - Parameters:
    ///   - imagesURL: an IDX file of rank 3, raw or gzip-compressed.
    ///   - labelsURL: an IDX file of rank 1, raw or gzip-compressed.
    ///   - classNames: the name of each class; labels must index it.
    /// - Throws: any `IDXError` from reading either file, `unexpectedRank` when a
    ///   file has the wrong number of axes, `countMismatch` when the two files
    ///   disagree on N, `labelOutOfRange` when a label has no class name.
    public static func load(imagesAt imagesURL: URL, labelsAt labelsURL: URL, classNames: [String]) throws(IDXError)
        -> LabeledImageSet
    {
        let images = try IDXFile.read(contentsOf: imagesURL)
        guard images.dimensions.count == 3 else {
            throw .unexpectedRank(path: imagesURL.path, expected: 3, dimensions: images.dimensions)
        }
        let labels = try IDXFile.read(contentsOf: labelsURL)
        guard labels.dimensions.count == 1 else {
            throw .unexpectedRank(path: labelsURL.path, expected: 1, dimensions: labels.dimensions)
        }
        guard images.dimensions[0] == labels.dimensions[0] else {
            throw .countMismatch(
                imagesPath: imagesURL.path, imageCount: images.dimensions[0],
                labelsPath: labelsURL.path, labelCount: labels.dimensions[0]
            )
        }
        if let index = labels.elements.firstIndex(where: { Int($0) >= classNames.count }) {
            throw .labelOutOfRange(
                path: labelsURL.path, index: index, label: Int(labels.elements[index]), classCount: classNames.count
            )
        }
        return LabeledImageSet(
            height: images.dimensions[1],
            width: images.dimensions[2],
            channels: 1,
            pixels: images.elements,
            labels: labels.elements.map { Int32($0) },
            classNames: classNames
        )
    }
}
