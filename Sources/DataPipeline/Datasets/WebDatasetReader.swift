import Foundation

/// Reads a WebDataset tar shard front to back, grouping consecutive members that share a key into samples.
///
/// Convention (webdataset's): members whose paths share a key (the path up to
/// the first dot of the file name, see `WebDatasetKey`) and follow each other
/// form one sample; a change of key starts the next. Roles come from the whole
/// extension, lowercased: an image (`jpg`, `jpeg`, `png`, `ppm`, `pgm`, `pbm`,
/// `pnm`, `bmp`, `tif`, `tiff`, `webp`), the class id as decimal text (`cls`),
/// optional metadata (`json`); other members and non-files are skipped. A sample
/// needs exactly one image and one `cls`; one without either, or with two
/// images or two members of the same extension, throws naming the shard and the key.
///
/// Two modes share this one grouping: `.contents` reads the image and metadata
/// bytes (`next()`, for streaming), `.locations` records where the image lies
/// and skips its bytes (for `WebDataset.index`). Not thread-safe: one reader per thread.
public final class WebDatasetReader {
    /// What the reader does with image and metadata members.
    enum Mode {
        /// Reads their bytes.
        case contents
        /// Records where the image is and skips the bytes.
        case locations
    }

    /// The members of one sample, as far as they have been read.
    struct Group {
        /// The sample's key.
        let key: String
        /// The image member's extension and where its data is.
        var image: (fileExtension: String, offset: Int, length: Int)?
        /// The image's bytes, in `.contents` mode.
        var imageBytes: [UInt8] = []
        /// The class id.
        var label: Int32?
        /// The metadata's bytes, in `.contents` mode.
        var metadata: [UInt8]?
        /// The extensions seen so far, to catch duplicates.
        var extensions: Set<String> = []
    }

    /// Extensions webdataset's decoders treat as images.
    public static let imageExtensions: Set<String> = ["jpg", "jpeg", "png", "ppm", "pgm", "pbm", "pnm", "bmp", "tif", "tiff", "webp"]
    /// The largest `.cls` member accepted; a class id is a few digits.
    static let labelSizeLimit = 64

    /// The shard being read.
    public let shard: URL
    /// The class count labels must stay below, when known; otherwise `SampleIndex.inferredClassLimit`.
    let classCount: Int?
    /// Whether image and metadata bytes are read or only located.
    private let mode: Mode
    /// The shard's member reader.
    private let reader: TarReader
    /// The first member of the next sample, read while finding where the current sample ends.
    private var lookahead: TarMember?

    /// Opens a shard to stream its samples; with `classCount`, labels at or above it throw.
    ///
    /// - Throws: `WebDatasetError.tar` when the file is missing or unreadable.
    public convenience init(shard: URL, classCount: Int? = nil) throws(WebDatasetError) {
        try self.init(shard: shard, classCount: classCount, mode: .contents)
    }

    /// Opens a shard in either mode.
    init(shard: URL, classCount: Int?, mode: Mode) throws(WebDatasetError) {
        self.shard = shard
        self.classCount = classCount
        self.mode = mode
        do throws(TarError) {
            reader = try TarReader(contentsOf: shard)
        } catch {
            throw .tar(error)
        }
    }

    /// The next sample, with its image and metadata bytes, or `nil` after the last one.
    ///
    /// - Throws: `WebDatasetError` for a malformed sample or a truncated or corrupt shard.
    public func next() throws(WebDatasetError) -> WebDatasetSample? {
        guard let group = try nextGroup(), let image = group.image, let label = group.label else { return nil }
        return WebDatasetSample(
            key: group.key, imageExtension: image.fileExtension, image: group.imageBytes, label: label, metadata: group.metadata
        )
    }

    /// The next complete group of members, validated, or `nil` at the end of the shard.
    func nextGroup() throws(WebDatasetError) -> Group? {
        var group: Group?
        while true {
            let member: TarMember?
            if let lookahead {
                member = lookahead
                self.lookahead = nil
            } else {
                do throws(TarError) {
                    member = try reader.nextMember()
                } catch {
                    throw .tar(error)
                }
            }
            guard let member else {
                return try group.map(validated)
            }
            guard member.kind == .regularFile, let (key, fileExtension) = WebDatasetKey.split(member.path) else { continue }
            if let current = group, !current.key.utf8.elementsEqual(key.utf8) {
                lookahead = member
                return try validated(current)
            }
            var sample = group ?? Group(key: key)
            guard sample.extensions.insert(fileExtension).inserted else {
                throw .duplicateMember(shard: shard.path, key: key, fileExtension: fileExtension)
            }
            try add(member, fileExtension: fileExtension, to: &sample)
            group = sample
        }
    }

    /// Records one member in its sample according to its role.
    private func add(_ member: TarMember, fileExtension: String, to sample: inout Group) throws(WebDatasetError) {
        if Self.imageExtensions.contains(fileExtension) {
            if let earlier = sample.image {
                throw .multipleImages(shard: shard.path, key: sample.key, extensions: [earlier.fileExtension, fileExtension])
            }
            sample.image = (fileExtension, member.dataOffset, member.size)
            if mode == .contents {
                sample.imageBytes = try data()
            }
        } else if fileExtension == "cls" {
            guard member.size <= Self.labelSizeLimit else {
                throw .badLabel(shard: shard.path, key: sample.key, text: "\(member.size) bytes of text")
            }
            sample.label = try label(from: data(), key: sample.key)
        } else if fileExtension == "json" && mode == .contents {
            sample.metadata = try data()
        }
    }

    /// The class id written in a `.cls` member: a non-negative decimal integer, white space around it allowed.
    private func label(from bytes: [UInt8], key: String) throws(WebDatasetError) -> Int32 {
        let text = String(decoding: bytes, as: UTF8.self)
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let label = Int32(trimmed), label >= 0 else {
            throw .badLabel(shard: shard.path, key: key, text: text)
        }
        let limit = classCount ?? SampleIndex.inferredClassLimit
        guard Int(label) < limit else {
            throw .labelOutOfRange(shard: shard.path, key: key, label: Int(label), classCount: limit)
        }
        return label
    }

    /// The current member's data.
    private func data() throws(WebDatasetError) -> [UInt8] {
        do throws(TarError) {
            return try reader.readData()
        } catch {
            throw .tar(error)
        }
    }

    /// `group` when it has an image and a label, otherwise an error naming what is missing.
    private func validated(_ group: Group) throws(WebDatasetError) -> Group {
        guard group.image != nil else {
            throw .missingImage(shard: shard.path, key: group.key, extensions: group.extensions.sorted())
        }
        guard group.label != nil else {
            throw .missingLabel(shard: shard.path, key: group.key, extensions: group.extensions.sorted())
        }
        return group
    }
}
