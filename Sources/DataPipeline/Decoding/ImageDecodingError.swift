/// Why an encoded image could not be probed or decoded: which file, which format, what went wrong.
///
/// A struct with a `category` rather than one enum case per failure, because
/// the failures come from three sources (Hone's own header parsers, TurboJPEG,
/// libpng) whose messages are free text: a scanner groups files by `category`
/// and shows `reason`, which carries the decoder's own words.
public struct ImageDecodingError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The kind of failure, coarse enough for a scanner's summary table.
    public enum Category: String, Equatable, Hashable, Sendable, CaseIterable {
        /// The file holds no bytes.
        case emptyFile
        /// The file could not be read (missing, permissions, I/O error).
        case unreadableFile
        /// The bytes are not a JPEG or PNG, or use a variant the decoders do not
        /// support (12-bit or lossless JPEG, a JPEG with 2 components).
        case unsupportedFormat
        /// The data ends before the image does.
        case truncated
        /// The data is malformed (bad marker, bad chunk, checksum mismatch, invalid entropy-coded data).
        case corrupt
        /// The stored dimensions exceed `ImageSizeLimits`; refused before any pixel buffer is allocated.
        case tooLarge
        /// The decoder library itself failed (it could not allocate its state).
        case decoderFailure
    }

    /// The file the bytes came from, as the caller named it.
    public let path: String
    /// The format sniffed from the bytes (`unknown` when none matched).
    public let format: ImageFormat
    /// What kind of failure this is.
    public let category: Category
    /// What went wrong and what was expected, in the words of Hone's parser or of the decoder library.
    public let reason: String

    /// Records a failure.
    public init(path: String, format: ImageFormat, category: Category, reason: String) {
        self.path = path
        self.format = format
        self.category = category
        self.reason = reason
    }

    /// A sentence naming the file, the format, the kind of failure and the reason.
    public var description: String {
        "\(path): \(categoryPhrase) (\(format)): \(reason)"
    }

    /// The category as words for `description`.
    private var categoryPhrase: String {
        switch category {
        case .emptyFile: return "empty file"
        case .unreadableFile: return "unreadable file"
        case .unsupportedFormat: return "unsupported image format"
        case .truncated: return "truncated image"
        case .corrupt: return "corrupt image"
        case .tooLarge: return "image too large"
        case .decoderFailure: return "decoder failure"
        }
    }
}
