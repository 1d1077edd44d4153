/// Why an IDX file (the MNIST family's format) or a pair of them could not be read.
///
/// Every case names the file it concerns and, where it applies, what the reader
/// expected and what it found, so that a message alone tells the user which file
/// to fix or reinstall.
public enum IDXError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No file exists at `path`; `suggestion` says how to obtain it, when known.
    case missingFile(path: String, suggestion: String?)
    /// The file exists but could not be read (permissions, I/O error).
    case unreadableFile(path: String, reason: String)
    /// The file is gzip-compressed and the compressed stream ends early.
    case truncatedGzip(path: String, compressedBytes: Int, inflatedBytes: Int)
    /// The file is gzip-compressed and zlib rejected the stream.
    case corruptGzip(path: String, reason: String)
    /// The first two bytes are not the IDX magic `0x00 0x00`.
    case badMagic(path: String, found: [UInt8])
    /// The element-type byte is not 0x08 (unsigned byte), the only type Hone reads.
    case unsupportedElementType(path: String, code: UInt8)
    /// The header ends before all of its dimensions are present.
    case truncatedHeader(path: String, rank: Int, expectedBytes: Int, foundBytes: Int)
    /// The dimensions multiply to more elements than memory can address.
    case implausibleDimensions(path: String, dimensions: [Int])
    /// The header promises more element bytes than the file holds.
    case truncatedData(path: String, dimensions: [Int], expectedBytes: Int, foundBytes: Int)
    /// The file holds bytes beyond the elements its header promises.
    case trailingData(path: String, dimensions: [Int], expectedBytes: Int, foundBytes: Int)
    /// The file has a different number of dimensions than its role requires
    /// (3 for images: count, height, width; 1 for labels).
    case unexpectedRank(path: String, expected: Int, dimensions: [Int])
    /// An images file and its labels file describe different numbers of examples.
    case countMismatch(imagesPath: String, imageCount: Int, labelsPath: String, labelCount: Int)
    /// A label is not a valid index into the data set's class names.
    case labelOutOfRange(path: String, index: Int, label: Int, classCount: Int)

    /// A sentence naming the file, what was expected and what was found.
    public var description: String {
        switch self {
        case let .missingFile(path, suggestion):
            let base = "\(path): file not found"
            return suggestion.map { "\(base); \($0)" } ?? base
        case let .unreadableFile(path, reason):
            return "\(path): could not be read: \(reason)"
        case let .truncatedGzip(path, compressedBytes, inflatedBytes):
            return "\(path): gzip stream is truncated: expected an end-of-stream marker, "
                + "found the \(compressedBytes) compressed bytes ending after "
                + "\(inflatedBytes) inflated bytes; the download or install is incomplete"
        case let .corruptGzip(path, reason):
            return "\(path): gzip stream is corrupt: \(reason)"
        case let .badMagic(path, found):
            return "\(path): not an IDX file: expected magic bytes 00 00, found \(hex(found))"
        case let .unsupportedElementType(path, code):
            return "\(path): unsupported IDX element type: expected 0x08 (unsigned byte), "
                + "found \(hex([code])) (\(elementTypeName(code)))"
        case let .truncatedHeader(path, rank, expectedBytes, foundBytes):
            return "\(path): IDX header is truncated: rank \(rank) needs \(expectedBytes) header bytes, "
                + "found \(foundBytes)"
        case let .implausibleDimensions(path, dimensions):
            return "\(path): IDX dimensions \(shape(dimensions)) describe more elements than can be addressed"
        case let .truncatedData(path, dimensions, expectedBytes, foundBytes):
            return "\(path): IDX data is truncated: header promises \(shape(dimensions)) = "
                + "\(expectedBytes) bytes, found \(foundBytes)"
        case let .trailingData(path, dimensions, expectedBytes, foundBytes):
            return "\(path): IDX data has trailing bytes: header promises \(shape(dimensions)) = "
                + "\(expectedBytes) bytes, found \(foundBytes)"
        case let .unexpectedRank(path, expected, dimensions):
            return "\(path): expected an IDX file of rank \(expected), found rank \(dimensions.count) "
                + "with dimensions \(shape(dimensions))"
        case let .countMismatch(imagesPath, imageCount, labelsPath, labelCount):
            return "\(imagesPath) holds \(imageCount) images but \(labelsPath) holds \(labelCount) labels; "
                + "expected the same count in both"
        case let .labelOutOfRange(path, index, label, classCount):
            return "\(path): label \(label) at index \(index) is out of range: expected 0..<\(classCount)"
        }
    }
}

/// Writes dimensions the way the messages show shapes, such as `60000×28×28`.
private func shape(_ dimensions: [Int]) -> String {
    dimensions.isEmpty ? "(scalar)" : dimensions.map(String.init).joined(separator: "×")
}

/// Writes bytes as space-separated two-digit hex, such as `1f 8b`.
private func hex(_ bytes: [UInt8]) -> String {
    guard !bytes.isEmpty else { return "nothing (empty file)" }
    return bytes.map { byte in
        let digits = String(byte, radix: 16)
        return digits.count == 1 ? "0" + digits : digits
    }.joined(separator: " ")
}

/// Names an IDX element-type code, so an unsupported-type message says what the
/// file actually holds.
private func elementTypeName(_ code: UInt8) -> String {
    switch code {
    case 0x08: return "unsigned byte"
    case 0x09: return "signed byte"
    case 0x0B: return "16-bit integer"
    case 0x0C: return "32-bit integer"
    case 0x0D: return "32-bit float"
    case 0x0E: return "64-bit float"
    default: return "not an IDX type"
    }
}
